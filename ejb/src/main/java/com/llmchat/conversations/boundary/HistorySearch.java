package com.llmchat.conversations.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.conversations.boundary.ConversationException.Reason;
import com.llmchat.conversations.control.SearchWords;
import com.llmchat.conversations.control.SearchWords.Snippet;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Full-text search over the caller's own conversations: their titles and the text of their current
 * messages, in any language — Chinese too (see the {@code V17__search} migration for how the index
 * reads text without spaces). The index proposes, newest first; {@link SearchWords} decides and
 * cuts the snippet.
 */
@Stateless
public class HistorySearch {

  public static final int MAX_LIMIT = 50;

  /** Title matches shown on the first page at most. */
  static final int MAX_TITLES = 10;

  /** Candidates the index proposes per round trip, and at most per request. */
  static final int BATCH = 100;

  static final int MAX_CANDIDATES = 1_000;

  /** A conversation whose title has the words. */
  public record TitleHit(long conversationId, String title, List<int[]> highlights) {}

  /** A message with the words, and where in its conversation it is. */
  public record MessageHit(
      long conversationId,
      String conversationTitle,
      long messageId,
      int position,
      String role,
      Snippet snippet,
      OffsetDateTime createdAt) {}

  /** One page of results; {@code next} asks for older messages (null: there are none). */
  public record Results(List<TitleHit> conversations, List<MessageHit> messages, Long next) {}

  /**
   * The caller's current messages that the index says may have all the words, newest first. Not
   * JPQL: the {@code search} column and the functions are PostgreSQL's own.
   */
  private static final String CANDIDATES =
      """
      select m.id, m.conversation_id, m.position, m.role, m.content, m.created_at,
        (select c.title from conversation c where c.id = m.conversation_id)
      from message m
      where m.owner_id = ?1 and m.superseded = false and m.id < ?2
        and m.search @@ (search_query(?3) && search_owner_query(?1))
      order by m.id desc
      limit ?4""";

  @PersistenceContext EntityManager em;
  @Inject Callers callers;

  /** Titles (on the first page) and messages with every word of {@code query}. */
  public Results search(String query, Long before, int limit) {
    String text = query == null ? "" : query.strip();
    if (text.isEmpty() || text.length() > SearchWords.MAX_QUERY) {
      throw new ConversationException(
          Reason.INVALID, "A search has 1 to " + SearchWords.MAX_QUERY + " characters");
    }
    long owner = callers.identity().accountId();
    SearchWords words = SearchWords.of(text);
    int size = Math.max(1, Math.min(limit, MAX_LIMIT));
    List<TitleHit> titles = before == null ? titles(owner, words) : List.of();

    List<MessageHit> hits = new ArrayList<>();
    long cursor = before == null ? Long.MAX_VALUE : before;
    int scanned = 0;
    boolean more = true;
    while (hits.size() < size && scanned < MAX_CANDIDATES) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          em.createNativeQuery(CANDIDATES)
              .setParameter(1, owner)
              .setParameter(2, cursor)
              .setParameter(3, text)
              .setParameter(4, BATCH)
              .getResultList();
      int seen = 0;
      for (Object[] row : rows) {
        seen++;
        scanned++;
        cursor = ((Number) row[0]).longValue();
        String content = (String) row[4];
        if (words.matches(content)) {
          hits.add(
              new MessageHit(
                  ((Number) row[1]).longValue(),
                  (String) row[6],
                  cursor,
                  ((Number) row[2]).intValue(),
                  ((String) row[3]).toLowerCase(Locale.ROOT),
                  words.snippet(content),
                  instant(row[5])));
          if (hits.size() == size) {
            break;
          }
        }
      }
      if (rows.size() < BATCH && seen == rows.size()) {
        more = false;
        break;
      }
    }
    return new Results(titles, hits, more ? cursor : null);
  }

  private List<TitleHit> titles(long owner, SearchWords words) {
    List<TitleHit> hits = new ArrayList<>();
    List<Object[]> conversations =
        em.createQuery(
                "select c.id, c.title from Conversation c where c.ownerId = :owner"
                    + " order by c.updatedAt desc, c.id desc",
                Object[].class)
            .setParameter("owner", owner)
            .getResultList();
    for (Object[] conversation : conversations) {
      String title = (String) conversation[1];
      if (words.matches(title)) {
        hits.add(
            new TitleHit(((Number) conversation[0]).longValue(), title, words.highlights(title)));
        if (hits.size() == MAX_TITLES) {
          break;
        }
      }
    }
    return hits;
  }

  private static OffsetDateTime instant(Object value) {
    if (value instanceof OffsetDateTime time) {
      return time;
    }
    return ((Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
  }
}
