package com.llmchat.usage.control;

import com.llmchat.usage.entity.Budget;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reservations against budgets and rate limits, with PostgreSQL as the arbiter: one statement takes
 * a call's tokens and one request in every budget that applies — the account's, each of its
 * groups', its API key's — or, when one has no room, the transaction rolls back and nothing is
 * taken. Row locks on the budgets' counters make it exact under any concurrency and across servers;
 * nothing is counted in a JVM. Settling gives the reservation back and adds what was used, in the
 * transaction that stores the reply and its ledger row.
 */
@Stateless
public class Reservations {

  /**
   * One round trip: the budgets that apply with their period's start (in the budgets' time zone;
   * rate limits by clock minute), each period's counters taken if there is room (created at the
   * first call of a period), the reservation and its holds written when any budget applies.
   */
  private static final String RESERVE =
      """
      with b as (
        select id, period, token_limit, request_limit,
          case period
            when 'MINUTE' then date_trunc('minute', now())
            when 'DAY' then date_trunc('day', now() at time zone cast(?1 as text))
                at time zone cast(?1 as text)
            else date_trunc('month', now() at time zone cast(?1 as text))
                at time zone cast(?1 as text)
          end as start
        from budget
        where account_id = cast(?2 as bigint) or api_key_id = cast(?3 as bigint)
           or group_id in (select group_id from group_member where account_id = cast(?2 as bigint))
      ), taken as (
        insert into budget_use as u (budget_id, period_start, reserved_tokens, used_tokens, requests)
        select id, start, cast(?4 as bigint), 0, 1 from b
        where (token_limit is null or cast(?4 as bigint) <= token_limit)
          and (request_limit is null or request_limit >= 1)
        on conflict (budget_id, period_start) do update
          set reserved_tokens = u.reserved_tokens + excluded.reserved_tokens,
              requests = u.requests + 1
          where (select (l.token_limit is null
                         or u.used_tokens + u.reserved_tokens + excluded.reserved_tokens
                            <= l.token_limit)
                    and (l.request_limit is null or u.requests + 1 <= l.request_limit)
                 from budget l where l.id = u.budget_id)
        returning u.budget_id, u.period_start
      ), r as (
        insert into reservation (id, account_id, message_id, tokens, state, created_at, expires_at)
        select nextval('reservation_seq'), cast(?2 as bigint), cast(?5 as bigint),
               cast(?4 as bigint), 'HELD', now(), now() + make_interval(mins => cast(?6 as int))
        where exists (select 1 from b)
        returning id
      ), h as (
        insert into reservation_hold (reservation_id, budget_id, period_start)
        select r.id, t.budget_id, t.period_start from r, taken t
      )
      select b.id, b.period,
        cast(extract(epoch from case b.period
          when 'MINUTE' then b.start + interval '1 minute'
          when 'DAY' then ((b.start at time zone cast(?1 as text)) + interval '1 day')
              at time zone cast(?1 as text)
          else ((b.start at time zone cast(?1 as text)) + interval '1 month')
              at time zone cast(?1 as text)
        end) * 1000 as bigint),
        b.id in (select budget_id from taken),
        (select id from r),
        (select case when g.account_id is not null then 'ACCOUNT'
                     when g.group_id is not null then 'GROUP' else 'KEY' end
           from budget g where g.id = b.id)
      from b
      """;

  /** Gives the reservation back and adds what was used: once (the reservation goes with it). */
  private static final String SETTLE =
      """
      with r as (delete from reservation where id = cast(?1 as bigint)
                 returning id, tokens, state),
      h as (select h.budget_id, h.period_start, r.tokens, r.state
            from reservation_hold h join r on h.reservation_id = r.id)
      update budget_use u set
        reserved_tokens = u.reserved_tokens - case when h.state = 'HELD' then h.tokens else 0 end,
        used_tokens = u.used_tokens + cast(?2 as bigint)
      from h where u.budget_id = h.budget_id and u.period_start = h.period_start
      """;

  /** A reservation held past its time gives its tokens back; what it used is added when settled. */
  private static final String RELEASE_EXPIRED =
      """
      with x as (
        update reservation set state = 'RELEASED'
        where id in (select id from reservation where state = 'HELD' and expires_at < now()
                     order by expires_at limit 500 for update skip locked)
        returning id, tokens)
      update budget_use u set reserved_tokens = u.reserved_tokens - x.tokens
      from x join reservation_hold h on h.reservation_id = x.id
      where u.budget_id = h.budget_id and u.period_start = h.period_start
      """;

  /** A call's claim: who, with which key, for which chat reply, and how many tokens. */
  public record Claim(long accountId, Long keyId, Long messageId, long tokens) {}

  @PersistenceContext EntityManager em;
  @Resource SessionContext context;
  @Inject BudgetMeters meters;

  @Inject
  @ConfigProperty(name = "llmchat.budget.time-zone")
  Optional<String> timeZone;

  /** How long a reservation holds its tokens at most (a call that outlives it is still settled). */
  @Inject
  @ConfigProperty(name = "llmchat.budget.reservation-minutes", defaultValue = "60")
  int reservationMinutes;

  /**
   * Reserves the claim in every budget that applies, in a transaction of its own (committed before
   * the model is asked, so the counters' row locks are held for one statement's time). Returns the
   * reservation, or null when no budget applies; throws {@link LimitExceededException} when one has
   * no room (a rate limit first, else the budget that resets last).
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public Long reserve(Claim claim) {
    try {
      return take(claim);
    } catch (LimitExceededException refused) {
      context.setRollbackOnly();
      throw refused;
    }
  }

  /**
   * The same in the caller's transaction (a chat send: the reservation commits with the stored
   * question, and no second connection is taken); a refusal undoes only what the reservation did.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public Long reserveWithin(Claim claim) {
    em.createNativeQuery("savepoint budget_reservation").executeUpdate();
    try {
      return take(claim);
    } catch (LimitExceededException refused) {
      em.createNativeQuery("rollback to savepoint budget_reservation").executeUpdate();
      throw refused;
    }
  }

  private Long take(Claim claim) {
    @SuppressWarnings("unchecked")
    List<Object[]> budgets =
        em.createNativeQuery(RESERVE)
            .setParameter(1, zone())
            .setParameter(2, claim.accountId())
            .setParameter(3, claim.keyId() == null ? -1L : claim.keyId())
            .setParameter(4, Math.max(0, claim.tokens()))
            .setParameter(5, claim.messageId())
            .setParameter(6, reservationMinutes)
            .getResultList();
    if (budgets.isEmpty()) {
      return null;
    }
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
                .thenComparing(LimitExceededException::resetsAt))
        .ifPresent(
            refused -> {
              meters.refused(refused.rateLimited());
              throw refused;
            });
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
                where r.message_id is not null
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

  /** The budgets' time zone: configured, else the server's. */
  public String zone() {
    return timeZone
        .filter(zone -> !zone.isBlank())
        .map(zone -> ZoneId.of(zone.strip()).getId())
        .orElseGet(() -> ZoneId.systemDefault().getId());
  }
}
