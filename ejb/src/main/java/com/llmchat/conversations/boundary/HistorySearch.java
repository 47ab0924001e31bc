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
 * reads text without spaces). Newest first: the caller's {@value #WINDOW} newest messages are read
 * in order through {@code (owner_id, id desc)} (a word most of them have fills the page there), the
 * GIN index is asked for older ones (where the words are rare, or they would have filled the page);
 * the planner's estimates for prefix queries are too poor to leave that choice to it (measured: a
 * one-letter word took a second through the index). The database proposes; {@link SearchWords}
 * decides and cuts the snippet.
 */
@Stateless
public class HistorySearch {

  public static final int MAX_LIMIT = 50;

  /** Title matches shown on the first page at most. */
  static final int MAX_TITLES = 10;

  /** Candidates the index proposes per round trip, and at most per request beyond the window. */
  static final int BATCH = 100;

  static final int MAX_CANDIDATES = 2_000;

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

  /** The caller's newest messages read in order before the index is asked: see {@link #search}. */
  static final int WINDOW = 1_000;

  private static final String COLUMNS =
      """
      select m.id, m.conversation_id, m.position, m.role, m.content, m.created_at,
        (select c.title from conversation c where c.id = m.conversation_id)
      """;

  /** SQL: the oldest id and the number of the caller's {@code ?3} newest messages before ?2. */
  private static final String WINDOW_BOUNDS =
      """
      select min(id), count(*) from (select id from message where owner_id = ?1 and id < ?2
        order by id desc limit ?3) w""";

  /**
   * SQL: the caller's current messages with the words among their newest before ?2, read through
   * {@code (owner_id, id desc)} (the subquery's limit keeps the planner on that index).
   */
  private static final String RECENT =
      COLUMNS
          + """
          from (select * from message where owner_id = ?1 and id < ?2
            order by id desc limit ?4) m
          where m.superseded = false and m.search @@ search_query(?3)
          order by m.id desc""";

  /**
   * SQL: older ones through the GIN index, every match of the words ANDed with the caller's own
   * term first (a materialized CTE: the planner is not to walk the owner's messages instead).
   */
  private static final String INDEXED =
      "with found as materialized (select id from message"
          + " where search @@ (search_query(?3) && search_owner_query(?1)) and id < ?2) "
          + COLUMNS
          + """
          from message m join found f on f.id = m.id
          where m.owner_id = ?1 and m.superseded = false
          order by m.id desc limit ?4""";

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
    // a word most of the caller's messages have fills the page from the newest ones at once;
    // the index is asked for the rest, where it is quick because the words are rare there
    Object[] bounds =
        (Object[])
            em.createNativeQuery(WINDOW_BOUNDS)
                .setParameter(1, owner)
                .setParameter(2, cursor)
                .setParameter(3, WINDOW)
                .getSingleResult();
    if (bounds[0] == null) {
      return new Results(titles, hits, null);
    }
    Long full = collect(candidates(RECENT, owner, cursor, text, WINDOW), words, hits, size);
    if (full != null) {
      return new Results(titles, hits, full);
    }
    if (((Number) bounds[1]).intValue() < WINDOW) {
      return new Results(titles, hits, null);
    }
    cursor = ((Number) bounds[0]).longValue();
    for (int scanned = 0; scanned < MAX_CANDIDATES; scanned += BATCH) {
      List<Object[]> rows = candidates(INDEXED, owner, cursor, text, BATCH);
      full = collect(rows, words, hits, size);
      if (full != null) {
        return new Results(titles, hits, full);
      }
      if (rows.size() < BATCH) {
        return new Results(titles, hits, null);
      }
      cursor = ((Number) rows.get(rows.size() - 1)[0]).longValue();
    }
    return new Results(titles, hits, cursor);
  }

  @SuppressWarnings("unchecked")
  private List<Object[]> candidates(String sql, long owner, long cursor, String text, int limit) {
    return em.createNativeQuery(sql)
        .setParameter(1, owner)
        .setParameter(2, cursor)
        .setParameter(3, text)
        .setParameter(4, limit)
        .getResultList();
  }

  /**
   * Adds the candidates that have every word, until the page is full; the id of the last one added
   * then (where the next page starts), else null.
   */
  private static Long collect(
      List<Object[]> rows, SearchWords words, List<MessageHit> hits, int size) {
    for (Object[] row : rows) {
      String content = (String) row[4];
      if (!words.matches(content)) {
        continue;
      }
      long id = ((Number) row[0]).longValue();
      hits.add(
          new MessageHit(
              ((Number) row[1]).longValue(),
              (String) row[6],
              id,
              ((Number) row[2]).intValue(),
              ((String) row[3]).toLowerCase(Locale.ROOT),
              words.snippet(content),
              instant(row[5])));
      if (hits.size() == size) {
        return id;
      }
    }
    return null;
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
