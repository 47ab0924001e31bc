package com.llmchat.usage.control;

import com.llmchat.accounts.control.AccountDeleting;
import com.llmchat.usage.entity.Budget;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
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
 *       row by the time its lock is granted: decisions stay exact;
 *   <li>the claims a server makes while its reservation statements run ({@code
 *       llmchat.budget.reservation-statements} at a time, 4 unless configured) are decided together
 *       by the next one ({@link ClaimQueue}): under load, one lock on a budget's counters per
 *       batch.
 * </ul>
 */
@Stateless
public class Reservations {

  /** A numbered parameter of JPA's native queries, as the statements here are written. */
  private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");

  /**
   * One round trip, committed by itself, for a batch of claims (?2 accounts, ?3 API keys or -1, ?4
   * tokens, ?5 chat replies, in the order the claims came): the budgets that apply to each claim —
   * the account's, its groups', its key's — with their period's start (in the budgets' time zone;
   * rate limits by clock minute); the settled reservations of those periods folded in (those
   * another statement is folding skipped); in each period's counters (created at the first call of
   * a period) the claims taken in order while they fit, the row marked with the last reservation
   * that took in it; a reservation for each claim taken anywhere, with its holds — {@code HELD}, or
   * {@code REFUSED} and settled to nothing when another budget had no room.
   *
   * <p>A claim fits in a budget when it and every claim of the batch before it in that budget fit
   * (those refused elsewhere included, as they took in it): the claims taken in a budget are the
   * first of the batch's, and the last of them marks the row. The counter rows are taken in the
   * order of their budgets, so that two statements never wait for each other's.
   */
  private static final String RESERVE =
      """
      with c as (
        select * from unnest(cast(?2 as bigint[]), cast(?3 as bigint[]), cast(?4 as bigint[]),
            cast(?5 as bigint[])) with ordinality as c(account_id, key_id, tokens, message_id, ord)
      ), applies as (
        select c.ord, b.id from c join budget b on b.account_id = c.account_id
        union all
        select c.ord, b.id from c join budget b on b.api_key_id = c.key_id
        union all
        select c.ord, b.id from c join group_member m on m.account_id = c.account_id
          join budget b on b.group_id = m.group_id
      ), cb as (
        select c.ord, c.tokens, b.id as budget_id, b.period, %1$s as start
        from applies x join c on c.ord = x.ord join budget b on b.id = x.id
      ), bs as (
        select distinct budget_id, start from cb
      ), pending as (
        select p.reservation_id, p.budget_id from reservation_hold p
        join bs on bs.budget_id = p.budget_id and bs.start = p.period_start
        where p.settled
        for update of p skip locked
      ), folded as (
        delete from reservation_hold h using reservation r
        where r.id = h.reservation_id
          and (h.reservation_id, h.budget_id) in (select reservation_id, budget_id from pending)
        returning h.budget_id, %2$s
      ), f as materialized (
        select budget_id, sum(held) as held, sum(requests) as requests, sum(used) as used
        from folded group by budget_id
      ), ids as (
        select ord, nextval('reservation_seq') as id from c
        where c.ord in (select ord from cb)
      ), ask as (
        select cb.ord, cb.budget_id, ids.id,
          sum(cb.tokens) over w as tokens, count(*) over w as requests
        from cb join ids on ids.ord = cb.ord
        window w as (partition by cb.budget_id order by cb.ord)
      ), counted as (
        insert into budget_use as u
          (budget_id, period_start, reserved_tokens, used_tokens, requests, taken_by)
        select bs.budget_id, bs.start, coalesce(t.tokens, 0), 0, coalesce(t.requests, 0), t.id
        from bs join budget l on l.id = bs.budget_id
        left join lateral (
          select a.tokens, a.requests, a.id from ask a
          where a.budget_id = l.id
            and (l.token_limit is null or a.tokens <= l.token_limit)
            and (l.request_limit is null or a.requests <= l.request_limit)
          order by a.ord desc limit 1) t on true
        order by bs.budget_id
        on conflict (budget_id, period_start) do update
          set (reserved_tokens, used_tokens, requests, taken_by) = (
            select u.reserved_tokens - g.held + coalesce(t.tokens, 0), u.used_tokens + g.used,
              u.requests - g.requests + coalesce(t.requests, 0), t.id
            from (select coalesce(sum(f.held), 0) as held, coalesce(sum(f.used), 0) as used,
                    coalesce(sum(f.requests), 0) as requests
                  from f where f.budget_id = u.budget_id) g
            join budget l on l.id = u.budget_id
            left join lateral (
              select a.tokens, a.requests, a.id from ask a
              where a.budget_id = l.id
                and (l.token_limit is null
                     or u.used_tokens + g.used + u.reserved_tokens - g.held + a.tokens
                        <= l.token_limit)
                and (l.request_limit is null
                     or u.requests - g.requests + a.requests <= l.request_limit)
              order by a.ord desc limit 1) t on true)
        returning u.budget_id, u.period_start, u.taken_by
      ), taken as (
        select a.ord, k.budget_id, k.period_start
        from counted k join ids last on last.id = k.taken_by
        join ask a on a.budget_id = k.budget_id and a.ord <= last.ord
      ), o as (
        select ids.ord, ids.id, c.account_id, c.message_id, c.tokens,
          coalesce(k.took, 0) as took, n.budgets
        from ids join c on c.ord = ids.ord
        join (select ord, count(*) as budgets from cb group by ord) n on n.ord = ids.ord
        left join (select ord, count(*) as took from taken group by ord) k on k.ord = ids.ord
      ), r as (
        insert into reservation
          (id, account_id, message_id, tokens, state, used_tokens, created_at, expires_at)
        select o.id, o.account_id, o.message_id, o.tokens,
               case when o.took = o.budgets then 'HELD' else 'REFUSED' end,
               case when o.took = o.budgets then null else 0 end,
               now(), now() + make_interval(mins => cast(?6 as int))
        from o where o.took > 0
        returning id
      ), h as (
        insert into reservation_hold (reservation_id, budget_id, period_start, settled)
        select r.id, t.budget_id, t.period_start, o.took < o.budgets from taken t
        join o on o.ord = t.ord join r on r.id = o.id
      )
      select cb.ord, cb.budget_id, cb.period, cast(extract(epoch from %3$s) * 1000 as bigint),
        t.ord is not null, made.id,
        case when g.account_id is not null then 'ACCOUNT'
             when g.group_id is not null then 'GROUP' else 'KEY' end
      from cb join budget g on g.id = cb.budget_id
      left join taken t on t.ord = cb.ord and t.budget_id = cb.budget_id
      left join (select ids.ord, r.id from r join ids on ids.id = r.id) made on made.ord = cb.ord
      order by cb.ord, cb.budget_id
      """
          .formatted(
              BudgetPeriods.startOf("b.period"),
              BudgetPeriods.GIVES_BACK,
              BudgetPeriods.resetOf("cb.period", "cb.start"));

  /**
   * Folds the settled reservations of one budget's period into its counters, committed by itself;
   * holds another statement is folding are skipped (it folds them). One counter row per statement:
   * nothing waits for a lock while holding another.
   */
  private static final String FOLD =
      """
      with pending as (
        select p.reservation_id from reservation_hold p
        where p.budget_id = cast(?1 as bigint) and p.period_start = to_timestamp(?2 / 1000.0)
          and p.settled
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
      from reservation_hold h where h.settled
      """;

  /** Settled reservations whose every hold is folded in: nothing left of them to count. */
  private static final String FORGET_FOLDED =
      """
      delete from reservation r where r.used_tokens is not null
        and not exists (select 1 from reservation_hold h where h.reservation_id = r.id)
      """;

  /**
   * Writes what a reservation ({@code ?1}) used on it ({@code ?2}) and marks its holds settled (for
   * the next reservation statement to fold in): once (a reservation settled already is left alone).
   */
  private static final String SETTLE =
      """
      with settled as (
        update reservation set used_tokens = cast(?2 as bigint)
        where id = cast(?1 as bigint) and used_tokens is null
        returning id
      )
      update reservation_hold set settled = true
      where reservation_id in (select id from settled)
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
   * The holds of an account's reservations ({@code ?1}) deleted, with what each gives back when
   * folded in — what a settled one used, nothing yet for one under way — summed per budget period,
   * in the budgets' order.
   */
  private static final String LET_GO =
      """
      with gone as (
        delete from reservation_hold h using reservation r
        where r.id = h.reservation_id and r.account_id = cast(?1 as bigint)
        returning h.budget_id, h.period_start, %1$s
      )
      select budget_id, cast(extract(epoch from period_start) * 1000 as bigint),
        sum(held), sum(requests), coalesce(sum(used), 0)
      from gone group by budget_id, period_start order by budget_id, period_start
      """
          .formatted(BudgetPeriods.GIVES_BACK);

  /**
   * One budget period's counters with an account's holds folded in (?1 held, ?2 requests, ?3 used).
   */
  private static final String LET_GO_OF =
      """
      update budget_use set reserved_tokens = reserved_tokens - cast(?1 as bigint),
        requests = requests - cast(?2 as bigint), used_tokens = used_tokens + cast(?3 as bigint)
      where budget_id = cast(?4 as bigint) and period_start = to_timestamp(?5 / 1000.0)
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
   * never stored: {@link #settleAbandoned} settles it), in one statement with the claims made at
   * the same time on this server ({@link ClaimQueue}). Returns the reservation, or null when no
   * budget applies (without asking the database when {@link BudgetHolders} knows that none can);
   * throws {@link LimitExceededException} when one has no room (a rate limit first, else the budget
   * that resets last).
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public Long reserve(Claim claim) {
    if (!holders.mayApply(claim.accountId(), claim.keyId(), this::holders)) {
      return null;
    }
    Ask ask =
        new Ask(
            claim.accountId(),
            claim.keyId() == null ? -1L : claim.keyId(),
            Math.max(0, claim.tokens().getAsLong()),
            claim.messageId());
    long asked = System.nanoTime();
    List<Object[]> budgets = queue().decide(ask, this::reserveAll);
    meters.reserved(System.nanoTime() - asked);
    if (budgets.isEmpty()) {
      return null;
    }
    Optional<LimitExceededException> refused =
        budgets.stream()
            .filter(row -> !Boolean.TRUE.equals(row[4]))
            .map(
                row ->
                    new LimitExceededException(
                        Budget.Period.valueOf((String) row[2]),
                        Budget.Holder.valueOf((String) row[6]),
                        Instant.ofEpochMilli(((Number) row[3]).longValue())))
            .max(
                Comparator.comparing(LimitExceededException::rateLimited)
                    .thenComparing(LimitExceededException::resetsAt));
    if (refused.isPresent()) {
      meters.refused(refused.get().rateLimited());
      throw refused.get();
    }
    return ((Number) budgets.get(0)[5]).longValue();
  }

  /**
   * The claims this server makes at the same time: {@code llmchat.budget.reservation-statements}
   * statements at a time, the claims that came while they all ran decided by the next one (one
   * queue per deployment, as the class; made at the first claim).
   */
  private static volatile ClaimQueue<Ask, List<Object[]>> queue;

  /** How many reservation statements of this server may run at the same time (at least 1). */
  @Inject
  @ConfigProperty(name = "llmchat.budget.reservation-statements", defaultValue = "4")
  int statementsAtOnce;

  /**
   * The auto-commit pool's size, as the server's configuration script takes it: no more statements
   * at once than it has connections (a statement beyond would wait for one in the pool, with its
   * timeout, instead of joining the next batch).
   */
  @Inject
  @ConfigProperty(name = "LLMCHAT_DB_AUTOCOMMIT_POOL_MAX", defaultValue = "10")
  int autoCommitPoolMax;

  private ClaimQueue<Ask, List<Object[]>> queue() {
    ClaimQueue<Ask, List<Object[]>> made = queue;
    if (made == null) {
      synchronized (Reservations.class) {
        made = queue;
        if (made == null) {
          made = new ClaimQueue<>(256, Math.max(1, Math.min(statementsAtOnce, autoCommitPoolMax)));
          queue = made;
        }
      }
    }
    return made;
  }

  /** A claim as the reservation statement takes it: the key -1 when none. */
  record Ask(long accountId, long keyId, long tokens, Long messageId) {}

  /** How many claims of this server wait for a reservation statement now. */
  static int waiting() {
    ClaimQueue<Ask, List<Object[]>> made = queue;
    return made == null ? 0 : made.waiting();
  }

  /** The claims decided together, one statement: each one's rows of {@link #RESERVE}. */
  private List<List<Object[]>> reserveAll(List<Ask> asks) {
    int n = asks.size();
    meters.reserving(n);
    Long[] accounts = new Long[n];
    Long[] keys = new Long[n];
    Long[] tokens = new Long[n];
    Long[] messages = new Long[n];
    List<List<Object[]>> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Ask ask = asks.get(i);
      accounts[i] = ask.accountId();
      keys[i] = ask.keyId();
      tokens[i] = ask.tokens();
      messages[i] = ask.messageId();
      outcomes.add(new ArrayList<>());
    }
    long sent = System.nanoTime();
    try {
      for (Object[] row :
          query(RESERVE, zone(), accounts, keys, tokens, messages, reservationMinutes)) {
        outcomes.get(((Number) row[0]).intValue() - 1).add(row);
      }
      meters.statement(System.nanoTime() - sent);
    } catch (SQLException e) {
      throw new PersistenceException("The reservation could not be taken", e);
    }
    return outcomes;
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

  /**
   * Before an account is deleted (in the deleting transaction): its reservations leave the budgets
   * that outlive it — its groups' — folded in as the next reservation statement would: what its
   * settled calls used stays counted, what its calls under way hold is given back (what they go on
   * to use counts in no budget: the account and its reservations are gone). Without this, deleting
   * the account deleted its reservations and their holds with it, and a group's budget kept the
   * tokens they held, and lost what they had used, until the end of its period.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void letGoOf(@Observes AccountDeleting deleting) {
    @SuppressWarnings("unchecked")
    List<Object[]> periods =
        em.createNativeQuery(LET_GO).setParameter(1, deleting.accountId()).getResultList();
    // one counter row per statement, in the budgets' order, as the reservation statement takes them
    for (Object[] period : periods) {
      em.createNativeQuery(LET_GO_OF)
          .setParameter(1, ((Number) period[2]).longValue())
          .setParameter(2, ((Number) period[3]).longValue())
          .setParameter(3, ((Number) period[4]).longValue())
          .setParameter(4, ((Number) period[0]).longValue())
          .setParameter(5, ((Number) period[1]).longValue())
          .executeUpdate();
    }
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
      } else if (value instanceof Long[] array) {
        statement.setArray(i + 1, connection.createArrayOf("bigint", array));
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
