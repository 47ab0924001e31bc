package com.llmchat.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs long-lived streaming work. On JDK 21+ each stream gets a virtual thread (WildFly's EE 10
 * executors have no such option); on JDK 17 a managed executor with a thread per stream carries it
 * (configure-streams.cli), which refuses work beyond its maximum.
 */
@ApplicationScoped
public class StreamExecutor {

  private static final Logger LOG = Logger.getLogger(StreamExecutor.class.getName());

  @Resource(lookup = "java:jboss/ee/concurrency/executor/llmchat-streams")
  ManagedExecutorService managedExecutor;

  @Resource ContextService contextService;

  /** auto: virtual threads when the JDK has them; false: the managed executor in any case. */
  @Inject
  @ConfigProperty(name = "llmchat.stream.virtual-threads", defaultValue = "auto")
  String virtualThreadsSetting;

  /** The same limit as the managed executor's maximum (configure-streams.cli). */
  @Inject
  @ConfigProperty(name = "llmchat.stream.threads", defaultValue = "2000")
  int maxStreams;

  private ExecutorService virtualThreads;
  private Semaphore virtualThreadStreams;

  @PostConstruct
  void chooseThreads() {
    if (Runtime.version().feature() >= 21 && !"false".equalsIgnoreCase(virtualThreadsSetting)) {
      try {
        // compiled for release 17: the JDK 21 factory is looked up at run time
        virtualThreads =
            (ExecutorService)
                Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      } catch (ReflectiveOperationException e) {
        LOG.warning("Virtual threads unavailable, using the managed executor: " + e);
      }
    }
    virtualThreadStreams = new Semaphore(Math.max(1, maxStreams));
    LOG.info(
        () ->
            "Streams run on "
                + (usesVirtualThreads() ? "virtual threads" : "the managed executor"));
  }

  public boolean usesVirtualThreads() {
    return virtualThreads != null;
  }

  /** Runs the task; throws {@link java.util.concurrent.RejectedExecutionException} when full. */
  public void execute(Runnable task) {
    if (virtualThreads != null) {
      // virtual threads are not limited by themselves: the streams are, as on the executor
      if (!virtualThreadStreams.tryAcquire()) {
        throw new RejectedExecutionException("as many streams as allowed: " + maxStreams);
      }
      Runnable contextual = contextService.contextualRunnable(task);
      try {
        virtualThreads.execute(
            () -> {
              try {
                contextual.run();
              } finally {
                virtualThreadStreams.release();
              }
            });
      } catch (RuntimeException e) {
        virtualThreadStreams.release();
        throw e;
      }
    } else {
      managedExecutor.execute(task);
    }
  }

  @PreDestroy
  void shutdown() {
    if (virtualThreads != null) {
      virtualThreads.shutdownNow();
    }
  }
}
