package com.llmchat.conversations.control;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The words of a history search and where they are in a text. The index (the {@code search_terms}
 * function of the database) finds the messages that may match; this decides which do — every word
 * of the query in the text, in any case and width ({@code ＧＰＴ} is {@code gpt}) — and cuts the
 * snippet shown for a hit, with the places of the words in it.
 */
public final class SearchWords {

  public static final int MAX_QUERY = 200;

  /** How many characters of the text a snippet shows around the first match. */
  static final int SNIPPET = 160;

  /** A piece of the text, its matches as [start, end) offsets into {@code text}. */
  public record Snippet(String text, List<int[]> highlights, boolean cutBefore, boolean cutAfter) {}

  private final List<String> words;

  private SearchWords(List<String> words) {
    this.words = words;
  }

  /** The query's words (split at white space, at most 20); none for a blank query. */
  public static SearchWords of(String query) {
    if (query == null) {
      return new SearchWords(List.of());
    }
    List<String> words =
        Arrays.stream(fold(query).split("\\s+"))
            .filter(word -> !word.isEmpty())
            .distinct()
            .limit(20)
            .toList();
    return new SearchWords(words);
  }

  public boolean isEmpty() {
    return words.isEmpty();
  }

  /** Whether every word of the query is in the text. */
  public boolean matches(String text) {
    if (text == null || words.isEmpty()) {
      return false;
    }
    String folded = fold(text);
    return words.stream().allMatch(folded::contains);
  }

  /**
   * The part of the text around the first match of any word, at most {@link #SNIPPET} characters,
   * with every match in it; the start of the text when nothing matches.
   */
  public Snippet snippet(String text) {
    String folded = fold(text);
    // offsets are the folded text's: show it where folding changed the length (rare: ligatures)
    String shown = folded.length() == text.length() ? text : folded;
    int first = -1;
    for (String word : words) {
      int at = folded.indexOf(word);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    int start = first < 0 ? 0 : Math.max(0, first - SNIPPET / 4);
    int end = Math.min(shown.length(), start + SNIPPET);
    start = Math.max(0, Math.min(start, end - SNIPPET));
    start = clearOfSurrogate(shown, start);
    end = clearOfSurrogate(shown, end);
    List<int[]> highlights = new ArrayList<>();
    for (String word : words) {
      for (int at = folded.indexOf(word, start);
          at >= 0 && at < end;
          at = folded.indexOf(word, at + word.length())) {
        highlights.add(new int[] {at - start, Math.min(end, at + word.length()) - start});
      }
    }
    highlights.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : b[1] - a[1]);
    return new Snippet(
        shown.substring(start, end), merged(highlights), start > 0, end < shown.length());
  }

  /** Where the words are in a short text (a title), as [start, end) offsets. */
  public List<int[]> highlights(String text) {
    String folded = fold(text);
    List<int[]> found = new ArrayList<>();
    for (String word : words) {
      for (int at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + word.length())) {
        found.add(new int[] {at, at + word.length()});
      }
    }
    found.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : b[1] - a[1]);
    return merged(found);
  }

  /** Overlapping matches (a word inside another's match) as one. */
  private static List<int[]> merged(List<int[]> sorted) {
    List<int[]> merged = new ArrayList<>();
    for (int[] range : sorted) {
      int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && range[0] <= last[1]) {
        last[1] = Math.max(last[1], range[1]);
      } else {
        merged.add(range.clone());
      }
    }
    return merged;
  }

  private static int clearOfSurrogate(String text, int at) {
    return at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at)) ? at - 1 : at;
  }

  /** Compatibility forms as their plain letters, then lower case: the same for query and text. */
  static String fold(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }
}
