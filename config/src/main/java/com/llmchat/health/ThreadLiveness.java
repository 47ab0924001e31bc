package com.llmchat.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Not alive when threads are deadlocked: only a restart helps then. */
@Liveness
@ApplicationScoped
public class ThreadLiveness implements HealthCheck {

  @Override
  public HealthCheckResponse call() {
    long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
    int count = deadlocked == null ? 0 : deadlocked.length;
    return HealthCheckResponse.named("threads")
        .status(count == 0)
        .withData("deadlocked", count)
        .build();
  }
}
