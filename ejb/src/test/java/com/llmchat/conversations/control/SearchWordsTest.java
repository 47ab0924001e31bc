package com.llmchat.conversations.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SearchWordsTest {

  @Test
  void everyWordMustBeThereInAnyCaseAndWidth() {
    SearchWords words = SearchWords.of("  GPT  数据模型 ");
    assertTrue(words.matches("我们的数据模型用 ＧＰＴ-4o 训练"));
    assertFalse(words.matches("我们的数据和模型用 GPT 训练"), "the characters must be neighbours");
    assertFalse(words.matches("数据模型"), "every word");
    assertTrue(SearchWords.of("Straße").matches("STRAßE"));
  }

  @Test
  void aBlankQueryHasNoWordsAndMatchesNothing() {
    assertTrue(SearchWords.of(" \t ").isEmpty());
    assertFalse(SearchWords.of("").matches("anything"));
    assertFalse(SearchWords.of(null).matches("anything"));
  }

  @Test
  void theSnippetShowsTheTextAroundTheFirstMatchWithEveryMatchMarked() {
    String text = "x".repeat(500) + " the cluster and the CLUSTER " + "y".repeat(500);
    var snippet = SearchWords.of("cluster").snippet(text);
    assertTrue(snippet.cutBefore());
    assertTrue(snippet.cutAfter());
    assertEquals(SearchWords.SNIPPET, snippet.text().length());
    assertEquals(2, snippet.highlights().size());
    for (int[] range : snippet.highlights()) {
      assertEquals("cluster", snippet.text().substring(range[0], range[1]).toLowerCase());
    }
  }

  @Test
  void aShortTextIsShownWhole() {
    var snippet = SearchWords.of("模型").snippet("数据模型");
    assertEquals("数据模型", snippet.text());
    assertFalse(snippet.cutBefore());
    assertFalse(snippet.cutAfter());
    assertEquals(List.of(List.of(2, 4)), ranges(snippet.highlights()));
  }

  @Test
  void aMatchNearTheEndStillFillsTheSnippet() {
    String text = "a".repeat(300) + "needle";
    var snippet = SearchWords.of("needle").snippet(text);
    assertEquals(SearchWords.SNIPPET, snippet.text().length());
    assertTrue(snippet.text().endsWith("needle"));
    assertFalse(snippet.cutAfter());
  }

  @Test
  void overlappingWordsAreOneHighlight() {
    assertEquals(
        List.of(List.of(0, 7)), ranges(SearchWords.of("cluster clus").highlights("Cluster!")));
  }

  @Test
  void aSnippetNeverCutsACharacterOutsideTheBasicPlane() {
    String text = "𠀀".repeat(200) + "needle" + "𠀀".repeat(200);
    var snippet = SearchWords.of("needle").snippet(text);
    assertFalse(Character.isLowSurrogate(snippet.text().charAt(0)));
    assertFalse(Character.isHighSurrogate(snippet.text().charAt(snippet.text().length() - 1)));
  }

  private static List<List<Integer>> ranges(List<int[]> ranges) {
    return ranges.stream().map(r -> List.of(r[0], r[1])).toList();
  }
}
