package com.llmchat.usage.control;

import com.llmchat.usage.entity.Budget;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reservations against budgets and rate limits, with PostgreSQL as the arbiter: one statement takes
 * a call's tokens and one request in every budget that applies — the account's, each of its
 * groups', its API key's. Row locks on the budgets' counters make it exact under any concurrency
 * and across servers; nothing is counted in a JVM.
 *
 * <p>The counters are the rows every call of a user, a group or a key locks, so nothing holds them
 * longer than one statement inside the database (measured: a lock held across the round trip to a
 * commit, or to the end of a reply's transaction, made the bench's calls queue for each other and
 * halved its replies per second):
 *
 * <ul>
 *   <li>the reservation statement commits by itself (a connection of the {@code
 *       LLMChatAutoCommitDS} pool in auto-commit), before the model is asked and apart from any
 *       transaction of the caller's. When one budget has no room it still commits what it took in
 *       the others — as a reservation marked {@code REFUSED} and settled to nothing at once, which
 *       gives its tokens and its request back when it is folded in;
 *   <li>settling writes what was used on the reservation itself, in the transaction that stores the
 *       reply and its ledger row, not on the counters;
 *   <li>the next reservation in the same budget folds the settled reservations into the counters
 *       under the lock it takes anyway (the sweep folds what no call comes to fold); until then
 *       they count as folded wherever a budget is read ({@link BudgetPeriods}). A settled
 *       reservation another statement is folding at that moment is skipped, and is in the counter
 *       row by the time its lock is granted: decisions stay exact.
 * </ul>
 */
@Stateless
public class Reservations {

  /** A numbered parameter of JPA's native queries, as the statements here are written. */
  private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");

  /** SQL: the budgets that apply to the caller: account ?2, its groups, API key ?3 (or -1). */
  private static final String BUDGETS_OF_CALLER =
      """
      account_id = cast(?2 as bigint) or api_key_id = cast(?3 as bigint)
        or group_id in (select group_id from group_member where account_id = cast(?2 as bigint))""";

  /**
   * SQL: whether the claim (?4 tokens, one request) fits in counter row {@code u} once the settled
   * reservations folded in by this statement ({@code f}) are taken into account.
   */
  private static final String FITS =
      """
      (select (l.token_limit is null
               or u.used_tokens + coalesce(f.used, 0) + u.reserved_tokens - coalesce(f.held, 0)
                  + cast(?4 as bigint) <= l.token_limit)
          and (l.request_limit is null
               or u.requests - coalesce(f.requests, 0) + 1 <= l.request_limit)
       from budget l left join f on f.budget_id = l.id where l.id = u.budget_id)""";

  /**
   * One round trip, committed by itself: the budgets that apply with their period's start (in the
   * budgets' time zone; rate limits by clock minute); the settled reservations of those periods
   * folded in (those another statement is folding skipped); in each period's counters (created at
   * the first call of a period) the claim taken if it fits, the row marked with the reservation
   * that took it; the reservation and its holds written when any budget was taken — {@code HELD},
   * or {@code REFUSED} and settled to nothing when another budget had no room.
   */
  private static final String RESERVE =
      """
      with b as (
        select id, period, token_limit, request_limit, %1$s as start
        from budget where %2$s
      ), pending as (
        select p.reservation_id, p.budget_id from reservation_hold p
        join reservation pr on pr.id = p.reservation_id
        join b on b.id = p.budget_id and b.start = p.period_start
        where pr.used_tokens is not null
        for update of p skip locked
      ), folded as (
        delete from reservation_hold h using reservation r
        where r.id = h.reservation_id
          and (h.reservation_id, h.budget_id) in (select reservation_id, budget_id from pending)
        returning h.budget_id, %3$s
      ), f as (
        select budget_id, sum(held) as held, sum(requests) as requests, sum(used) as used
        from folded group by budget_id
      ), ids as (
        select nextval('reservation_seq') as id
      ), counted as (
        insert into budget_use as u
          (budget_id, period_start, reserved_tokens, used_tokens, requests, taken_by)
        select b.id, b.start, case when x.fits then cast(?4 as bigint) else 0 end, 0,
          case when x.fits then 1 else 0 end, case when x.fits then ids.id end
        from b cross join ids
        cross join lateral (select (b.token_limit is null or cast(?4 as bigint) <= b.token_limit)
          and (b.request_limit is null or b.request_limit >= 1) as fits) x
        on conflict (budget_id, period_start) do update
          set reserved_tokens = u.reserved_tokens
                - coalesce((select f.held from f where f.budget_id = u.budget_id), 0)
                + case when %4$s then cast(?4 as bigint) else 0 end,
              used_tokens = u.used_tokens
                + coalesce((select f.used from f where f.budget_id = u.budget_id), 0),
              requests = u.requests
                - coalesce((select f.requests from f where f.budget_id = u.budget_id), 0)
                + case when %4$s then 1 else 0 end,
              taken_by = case when %4$s then (select id from ids) else u.taken_by end
        returning u.budget_id, u.period_start, u.taken_by
      ), taken as (
        select c.budget_id, c.period_start from counted c, ids where c.taken_by = ids.id
      ), r as (
        insert into reservation
          (id, account_id, message_id, tokens, state, used_tokens, created_at, expires_at)
        select ids.id, cast(?2 as bigint), cast(?5 as bigint), cast(?4 as bigint),
               case when o.admitted then 'HELD' else 'REFUSED' end,
               case when o.admitted then null else 0 end,
               now(), now() + make_interval(mins => cast(?6 as int))
        from ids,
          (select (select count(*) from taken) = (select count(*) from b) as admitted) o
        where exists (select 1 from taken)
        returning id
      ), h as (
        insert into reservation_hold (reservation_id, budget_id, period_start)
        select r.id, t.budget_id, t.period_start from r, taken t
      )
      select b.id, b.period, cast(extract(epoch from %5$s) * 1000 as bigint),
        b.id in (select budget_id from taken),
        (select id from r),
        (select case when g.account_id is not null then 'ACCOUNT'
                     when g.group_id is not null then 'GROUP' else 'KEY' end
           from budget g where g.id = b.id)
      from b
      """
          .formatted(
              BudgetPeriods.startOf("period"),
              BUDGETS_OF_CALLER,
              BudgetPeriods.GIVES_BACK,
              FITS,
              BudgetPeriods.resetOf("b.period", "b.start"));

  /**
   * Folds the settled reservations of one budget's period into its counters, committed by itself;
   * holds another statement is folding are skipped (it folds them). One counter row per statement:
   * nothing waits for a lock while holding another.
   */
  private static final String FOLD =
      """
      with pending as (
        select p.reservation_id from reservation_hold p
        join reservation pr on pr.id = p.reservation_id
        where p.budget_id = cast(?1 as bigint) and p.period_start = to_timestamp(?2 / 1000.0)
          and pr.used_tokens is not null
        for update of p skip locked
      ), folded as (
        delete from reservation_hold h using reservation r
        where h.budget_id = cast(?1 as bigint) and r.id = h.reservation_id
          and h.reservation_id in (select reservation_id from pending)
        returning %1$s
      ), f as (
        select sum(held) as held, sum(requests) as requests, sum(used) as used, count(*) as n
        from folded)
      update budget_use u set reserved_tokens = u.reserved_tokens - f.held,
        used_tokens = u.used_tokens + f.used, requests = u.requests - f.requests
      from f
      where u.budget_id = cast(?1 as bigint) and u.period_start = to_timestamp(?2 / 1000.0)
        and f.n > 0
      """
          .formatted(BudgetPeriods.GIVES_BACK);

  /** The budget periods with settled reservations not yet folded in. */
  private static final String UNFOLDED =
      """
      select distinct h.budget_id, cast(extract(epoch from h.period_start) * 1000 as bigint)
      from reservation_hold h join reservation r on r.id = h.reservation_id
      where r.used_tokens is not null
      """;

  /** Settled reservations whose every hold is folded in: nothing left of them to count. */
  private static final String FORGET_FOLDED =
      """
      delete from reservation r where r.used_tokens is not null
        and not exists (select 1 from reservation_hold h where h.reservation_id = r.id)
      """;

  /** Writes what a reservation used on it: once (a reservation settled already is left alone). */
  private static final String SETTLE =
      """
      update reservation set used_tokens = cast(?2 as bigint)
      where id = cast(?1 as bigint) and used_tokens is null
      """;

  /**
   * A reservation held past its time, and not settled, gives its tokens back; what it used is
   * written when it is settled and folded in then.
   */
  private static final String RELEASE_EXPIRED =
      """
      with x as (
        update reservation set state = 'RELEASED'
        where id in (select id from reservation
                     where state = 'HELD' and used_tokens is null and expires_at < now()
                     order by expires_at limit 500 for update skip locked)
        returning id, tokens)
      update budget_use u set reserved_tokens = u.reserved_tokens - x.tokens
      from x join reservation_hold h on h.reservation_id = x.id
      where u.budget_id = h.budget_id and u.period_start = h.period_start
      """;

  /**
   * A call's claim: who, with which key, for which chat reply, and how many tokens (reckoned only
   * when a budget may apply: for an application's prompt it takes a pass of the token estimator).
   */
  public record Claim(long accountId, Long keyId, Long messageId, LongSupplier tokens) {}

  @PersistenceContext EntityManager em;
  @Inject BudgetMeters meters;
  @Inject BudgetHolders holders;

  /** The same database as the persistence unit's, outside any transaction: auto-commit. */
  @Resource(lookup = "java:jboss/datasources/LLMChatAutoCommitDS")
  DataSource autoCommit;

  @Inject
  @ConfigProperty(name = "llmchat.budget.time-zone")
  Optional<String> timeZone;

  /** How long a reservation holds its tokens at most (a call that outlives it is still settled). */
  @Inject
  @ConfigProperty(name = "llmchat.budget.reservation-minutes", defaultValue = "60")
  int reservationMinutes;

  /**
   * Reserves the claim in every budget that applies, committed at once and apart from the caller's
   * transaction (a chat send whose transaction then rolls back leaves a reservation for a reply
   * never stored: {@link #settleAbandoned} settles it). Returns the reservation, or null when no
   * budget applies (without asking the database when {@link BudgetHolders} knows that none can);
   * throws {@link LimitExceededException} when one has no room (a rate limit first, else the budget
   * that resets last).
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public Long reserve(Claim claim) {
    if (!holders.mayApply(claim.accountId(), claim.keyId(), this::holders)) {
      return null;
    }
    List<Object[]> budgets;
    try {
      budgets =
          query(
              RESERVE,
              zone(),
              claim.accountId(),
              claim.keyId() == null ? -1L : claim.keyId(),
              Math.max(0, claim.tokens().getAsLong()),
              claim.messageId(),
              reservationMinutes);
    } catch (SQLException e) {
      throw new PersistenceException("The reservation could not be taken", e);
    }
    if (budgets.isEmpty()) {
      return null;
    }
    Optional<LimitExceededException> refused =
        budgets.stream()
            .filter(row -> !Boolean.TRUE.equals(row[3]))
            .map(
                row ->
                    new LimitExceededException(
                        Budget.Period.valueOf((String) row[1]),
                        Budget.Holder.valueOf((String) row[5]),
                        Instant.ofEpochMilli(((Number) row[2]).longValue())))
            .max(
                Comparator.comparing(LimitExceededException::rateLimited)
                    .thenComparing(LimitExceededException::resetsAt));
    if (refused.isPresent()) {
      meters.refused(refused.get().rateLimited());
      throw refused.get();
    }
    return ((Number) budgets.get(0)[4]).longValue();
  }

  /**
   * Settles a reservation to the tokens used, in the caller's transaction (the one that stores the
   * reply and writes its ledger row). Nothing for a reservation settled already, or none.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void settle(Long reservationId, long usedTokens) {
    if (reservationId == null) {
      return;
    }
    em.createNativeQuery(SETTLE)
        .setParameter(1, reservationId)
        .setParameter(2, Math.max(0, usedTokens))
        .executeUpdate();
  }

  /** Gives back the tokens of reservations held past their time; how many it released. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public int releaseExpired() {
    return em.createNativeQuery(RELEASE_EXPIRED).executeUpdate();
  }

  /**
   * Folds in what no call came to fold (periods that ended, budgets nobody used since), one period
   * per statement, then forgets the reservations folded in whole; how many periods it folded.
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public int foldSettled() {
    try {
      int folded = 0;
      for (Object[] period : query(UNFOLDED)) {
        folded += update(FOLD, period[0], period[1]);
      }
      update(FORGET_FOLDED);
      return folded;
    } catch (SQLException e) {
      throw new PersistenceException("Settled reservations could not be folded in", e);
    }
  }

  /**
   * Reservations of chat replies that ended without being settled — cut off when their server
   * stopped (recovery or an expired lease marked them interrupted: the reply's own settlement would
   * have ended its streaming in the same transaction) — or whose reply was never stored (a send
   * that rolled back, after a minute): settled to what the reply holds, at most {@code limit} at a
   * time.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public int settleAbandoned(int limit) {
    @SuppressWarnings("unchecked")
    List<Object[]> abandoned =
        em.createNativeQuery(
                """
                select r.id, coalesce(m.content_tokens, 0) from reservation r
                left join message m on m.id = r.message_id
                where r.message_id is not null and r.used_tokens is null
                  and (m.status <> 'STREAMING'
                       or (m.id is null and r.created_at < now() - interval '1 minute'))
                order by r.id limit cast(?1 as int) for update of r skip locked
                """)
            .setParameter(1, limit)
            .getResultList();
    for (Object[] reservation : abandoned) {
      settle(((Number) reservation[0]).longValue(), ((Number) reservation[1]).longValue());
    }
    return abandoned.size();
  }

  /**
   * Whom budgets apply to, read on this pool like the reservation itself: a send holds a connection
   * of the persistence unit's pool in its transaction, and must not wait for a second.
   */
  private BudgetHolders.Holders holders() {
    try {
      return new BudgetHolders.Holders(
          ids(query(BudgetHolders.ACCOUNTS)), ids(query(BudgetHolders.KEYS)));
    } catch (SQLException e) {
      throw new PersistenceException("Whom budgets apply to could not be read", e);
    }
  }

  private static java.util.Set<Long> ids(List<Object[]> rows) {
    return rows.stream()
        .map(row -> ((Number) row[0]).longValue())
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** Rows of one auto-committed statement written with JPA's numbered parameters (?1, ?2...). */
  private List<Object[]> query(String sql, Object... parameters) throws SQLException {
    try (Connection connection = autoCommit.getConnection();
        PreparedStatement statement = prepare(connection, sql, parameters);
        ResultSet rows = statement.executeQuery()) {
      int columns = rows.getMetaData().getColumnCount();
      List<Object[]> read = new ArrayList<>();
      while (rows.next()) {
        Object[] row = new Object[columns];
        for (int column = 0; column < columns; column++) {
          row[column] = rows.getObject(column + 1);
        }
        read.add(row);
      }
      return read;
    }
  }

  /** Rows changed by one auto-committed statement, as {@link #query}. */
  private int update(String sql, Object... parameters) throws SQLException {
    try (Connection connection = autoCommit.getConnection();
        PreparedStatement statement = prepare(connection, sql, parameters)) {
      return statement.executeUpdate();
    }
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
      throws SQLException {
    connection.setAutoCommit(true);
    Jdbc jdbc = JDBC.computeIfAbsent(sql, Jdbc::of);
    PreparedStatement statement = connection.prepareStatement(jdbc.sql());
    for (int i = 0; i < jdbc.order().length; i++) {
      Object value = parameters[jdbc.order()[i] - 1];
      if (value == null) {
        statement.setNull(i + 1, Types.BIGINT);
      } else {
        statement.setObject(i + 1, value);
      }
    }
    return statement;
  }

  /** The statements as JDBC takes them, rewritten once each. */
  private static final Map<String, Jdbc> JDBC = new ConcurrentHashMap<>();

  /** A statement with plain placeholders, and which numbered parameter each one stands for. */
  record Jdbc(String sql, int[] order) {
    static Jdbc of(String numberedSql) {
      Matcher numbered = NUMBERED.matcher(numberedSql);
      List<Integer> order = new ArrayList<>();
      StringBuilder sql = new StringBuilder();
      while (numbered.find()) {
        order.add(Integer.parseInt(numbered.group(1)));
        numbered.appendReplacement(sql, "?");
      }
      numbered.appendTail(sql);
      return new Jdbc(sql.toString(), order.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /** The budgets' time zone: configured, else the server's. */
  public String zone() {
    return timeZone
        .filter(zone -> !zone.isBlank())
        .map(zone -> ZoneId.of(zone.strip()).getId())
        .orElseGet(() -> ZoneId.systemDefault().getId());
  }
}
