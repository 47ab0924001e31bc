package com.llmchat.providers.control;

import com.llmchat.accounts.control.GroupsChanged;
import com.llmchat.providers.entity.ModelKind;
import com.llmchat.providers.entity.Route;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each account's routes by model alias (keys opened), so that a send neither reads the models nor
 * opens a key. Emptied when a provider, a model, a model's grants or a group changes on this server
 * (after the transaction); an entry also lives at most {@code llmchat.routes.cache-seconds} (10),
 * the bound for a change made elsewhere (another server of a cluster, the database by hand). 0
 * turns the cache off.
 */
@ApplicationScoped
public class RouteCache {

  /** The routes of one alias and what it does, or why there are none although it exists. */
  public record Routing(List<Route> routes, String unreadable, ModelKind kind) {}

  private static final int MAX_ACCOUNTS = 10_000;

  @Inject
  @ConfigProperty(name = "llmchat.routes.cache-seconds", defaultValue = "10")
  int seconds;

  private record Entry(long generation, long expiresNanos, Map<String, Routing> table) {}

  private final Map<Long, Entry> accounts = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  /** The account's table, from the cache or made by {@code load} (and kept if nothing changed). */
  public Map<String, Routing> table(long accountId, Supplier<Map<String, Routing>> load) {
    long now = System.nanoTime();
    long current = generation.get();
    Entry entry = accounts.get(accountId);
    if (entry != null && entry.generation() == current && now - entry.expiresNanos() < 0) {
      return entry.table();
    }
    Map<String, Routing> table = load.get();
    // a change that completed while this was read must not be hidden behind it
    if (seconds > 0 && generation.get() == current) {
      if (accounts.size() >= MAX_ACCOUNTS) {
        accounts.clear();
      }
      accounts.put(
          accountId,
          new Entry(current, now + TimeUnit.SECONDS.toNanos(seconds), Map.copyOf(table)));
    }
    return table;
  }

  void providerChanged(
      @Observes(during = TransactionPhase.AFTER_COMPLETION) ProviderChanged changed) {
    forgetAll();
  }

  void groupsChanged(@Observes(during = TransactionPhase.AFTER_COMPLETION) GroupsChanged changed) {
    forgetAll();
  }

  private void forgetAll() {
    generation.incrementAndGet();
    accounts.clear();
  }
}
