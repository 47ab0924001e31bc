package com.llmchat.platform.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.providers.control.CircuitBreakers;
import com.llmchat.providers.control.RelayMeters;
import com.llmchat.providers.entity.Provider;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What administrators see of the platform at a glance: model server calls under way now, today's
 * requests and tokens (from the usage ledger, UTC day), and per administrators' provider its
 * breaker, its error rate of the last five minutes and today's median time to first token. The live
 * figures (calls now, breakers, error rates) are this server's.
 */
@Stateless
public class Statistics {

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject CircuitBreakers breakers;
  @Inject RelayMeters relay;

  /** Today's use: calls that reached a model (the chat's and applications' through /v1). */
  public record Today(
      String day,
      long requests,
      long apiRequests,
      long failedRequests,
      long promptTokens,
      long completionTokens) {}

  /** One administrators' provider. */
  public record ProviderStats(
      long id,
      String name,
      boolean enabled,
      String breaker,
      int recentCalls,
      int recentFailures,
      double recentErrorRate,
      long requestsToday,
      Integer firstTokenP50Ms) {}

  public record Snapshot(int activeCalls, Today today, List<ProviderStats> providers) {}

  public Snapshot now() {
    callers.requireAdmin();
    LocalDate day = LocalDate.now(ZoneOffset.UTC);
    Object[] totals =
        (Object[])
            em.createNativeQuery(
                    "select count(*), count(api_key_id),"
                        + " count(*) filter (where outcome = 'FAILED'),"
                        + " coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0)"
                        + " from usage_record where usage_day = ?1")
                .setParameter(1, day)
                .getSingleResult();
    var today =
        new Today(
            day.toString(),
            number(totals[0]),
            number(totals[1]),
            number(totals[2]),
            number(totals[3]),
            number(totals[4]));
    Map<Long, Object[]> byProvider = new HashMap<>();
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select provider_id, count(*),"
                    + " percentile_cont(0.5) within group (order by first_token_ms)"
                    + " from usage_record where usage_day = ?1 and provider_id is not null"
                    + " group by provider_id")
            .setParameter(1, day)
            .getResultList();
    rows.forEach(row -> byProvider.put(number(row[0]), row));
    List<ProviderStats> providers =
        em.createNamedQuery(Provider.SHARED, Provider.class)
            .getResultStream()
            .map(
                provider -> {
                  CircuitBreakers.Health health = breakers.health(provider.id());
                  Object[] used = byProvider.get(provider.id());
                  return new ProviderStats(
                      provider.id(),
                      provider.name(),
                      provider.enabled(),
                      health.breaker(),
                      health.recentCalls(),
                      health.recentFailures(),
                      health.recentErrorRate(),
                      used == null ? 0 : number(used[1]),
                      used == null || used[2] == null
                          ? null
                          : (int) Math.round(((Number) used[2]).doubleValue()));
                })
            .toList();
    return new Snapshot(relay.active(), today, providers);
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }
}
