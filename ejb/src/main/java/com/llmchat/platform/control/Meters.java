package com.llmchat.platform.control;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counters and timers looked up once. WildFly's application registry answers {@code counter(name,
 * tags)} by searching all its meters, on every call: per reply that was 1.5 % of the stream's CPU
 * in the profile. Names and tags come from bounded sets (outcomes, error kinds, the names of shared
 * providers and models), so the map stays small.
 */
@ApplicationScoped
public class Meters {

  @Inject MeterRegistry registry;

  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final List<String> gauges = new CopyOnWriteArrayList<>();

  /** The counter {@code name} with tags as key, value pairs. */
  public Counter counter(String name, String... tags) {
    List<String> key = key(name, tags);
    Counter counter = counters.get(key);
    return counter != null
        ? counter
        : counters.computeIfAbsent(key, k -> registry.counter(name, tags));
  }

  public Timer timer(String name) {
    Timer timer = timers.get(name);
    return timer != null ? timer : timers.computeIfAbsent(name, registry::timer);
  }

  /**
   * A gauge of {@code value}, removed when the application stops: the registry outlives a
   * redeployment and would otherwise keep answering with the old deployment's value.
   */
  public void gauge(String name, Number value) {
    // through the registry's own gauge(): WildFly's adds the deployment tag there, and a gauge
    // made with Gauge.builder(...).register(registry) never reached /prometheus
    registry.gauge(name, value);
    gauges.add(name);
  }

  /** A gauge of {@code value} with tags as key, value pairs; removed as {@link #gauge} is. */
  public void gauge(String name, Number value, String... tags) {
    registry.gauge(name, io.micrometer.core.instrument.Tags.of(tags), value);
    gauges.add(name);
  }

  @PreDestroy
  void removeGauges() {
    for (String name : gauges) {
      for (Gauge gauge : registry.find(name).gauges()) {
        registry.remove(gauge);
      }
    }
    gauges.clear();
  }

  public MeterRegistry registry() {
    return registry;
  }

  private static List<String> key(String name, String... tags) {
    String[] key = new String[tags.length + 1];
    key[0] = name;
    System.arraycopy(tags, 0, key, 1, tags.length);
    return List.of(key);
  }
}
