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

  private ExecutorService virtualThreads;

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
      virtualThreads.execute(contextService.contextualRunnable(task));
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
