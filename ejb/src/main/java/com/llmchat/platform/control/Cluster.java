package com.llmchat.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.wildfly.clustering.server.Group;
import org.wildfly.clustering.server.GroupMember;
import org.wildfly.clustering.server.dispatcher.Command;
import org.wildfly.clustering.server.dispatcher.CommandDispatcher;
import org.wildfly.clustering.server.dispatcher.CommandDispatcherFactory;

/**
 * The servers of one installation, telling and asking each other over WildFly's clustering (JGroups
 * in standalone-cluster.xml). A {@link ClusterWide} event, once its transaction committed here, is
 * fired on every other server; a question ({@link #askOthers}) is answered by each. A lone server
 * (standalone.xml, no JGroups) is a group of one: nothing is sent, nothing waited for.
 */
@ApplicationScoped
public class Cluster {

  private static final Logger LOG = Logger.getLogger(Cluster.class.getName());
  private static final Duration TELL_WAIT = Duration.ofSeconds(2);

  /** The server's default group: the JGroups channel in a cluster, this server alone otherwise. */
  @Resource(lookup = "java:jboss/clustering/server/command-dispatcher-factory/default")
  CommandDispatcherFactory<GroupMember> factory;

  @Resource ManagedExecutorService executor;
  @Inject @FromAnotherServer Event<Object> arrived;
  @Inject Instance<Object> beans;

  private CommandDispatcher<GroupMember, Cluster> dispatcher;

  @PostConstruct
  void join() {
    dispatcher = factory.createCommandDispatcher("llmchat", this, Cluster.class.getClassLoader());
    Group<GroupMember> group = factory.getGroup();
    LOG.info(
        () ->
            group.isSingleton()
                ? "One server, no cluster"
                : "In cluster " + group.getName() + " as " + group.getLocalMember().getName());
  }

  /** Made at deployment, so that the others can reach this server before its first request. */
  void joinAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    dispatcher.getContext();
  }

  @PreDestroy
  void leave() {
    dispatcher.close();
  }

  /** The servers of the cluster by name, this one included (one name when alone). */
  public List<String> members() {
    return factory.getGroup().getMembership().getMembers().stream()
        .map(GroupMember::getName)
        .collect(Collectors.toList());
  }

  /** This server's name in the cluster. */
  public String self() {
    return factory.getGroup().getLocalMember().getName();
  }

  /**
   * Fires the change on every other server and waits for them to have heard it (at most {@link
   * #TELL_WAIT}): what the change revoked is refused everywhere by the time the request that made
   * it is answered.
   */
  void tellOthers(@Observes(during = TransactionPhase.AFTER_SUCCESS) @Default ClusterWide change) {
    askOthers(new Told(change), TELL_WAIT);
  }

  /**
   * Asks every other server and waits at most {@code wait} for their answers; a server that does
   * not answer in time (or has just left) gives none.
   */
  public <R, E extends Exception> List<R> askOthers(
      Command<R, ? super Cluster, E> question, Duration wait) {
    return new ArrayList<>(answers(question, wait).values());
  }

  /**
   * Asks every other server and gives the first answer that is not null, with the server that gave
   * it, to be asked again ({@link #ask}).
   */
  public <R, E extends Exception> Optional<Answer<R>> askOthersForOne(
      Command<R, ? super Cluster, E> question, Duration wait) {
    return answers(question, wait).entrySet().stream()
        .filter(answer -> answer.getValue() != null)
        .findFirst()
        .map(answer -> new Answer<>(answer.getValue(), answer.getKey()));
  }

  /**
   * Asks one server, which gave an answer before; fails when it does not answer within {@code wait}
   * (it has left, or is stuck).
   */
  public <R, E extends Exception> R ask(
      GroupMember server, Command<R, ? super Cluster, E> question, Duration wait)
      throws IOException {
    try {
      return dispatcher
          .dispatchToMember(question, server)
          .toCompletableFuture()
          .get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted asking " + server.getName());
    } catch (ExecutionException | TimeoutException | CancellationException e) {
      throw new IOException(server.getName() + " gave no answer to " + question, e);
    }
  }

  /** An answer to a question, and the server that gave it. */
  public record Answer<R>(R value, GroupMember server) {}

  private <R, E extends Exception> Map<GroupMember, R> answers(
      Command<R, ? super Cluster, E> question, Duration wait) {
    if (factory.getGroup().isSingleton()) {
      return Map.of();
    }
    Map<GroupMember, CompletionStage<R>> answers;
    try {
      answers = dispatcher.dispatchToGroup(question, Set.of(factory.getGroup().getLocalMember()));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not ask the other servers: " + question, e);
      return Map.of();
    }
    long deadline = System.nanoTime() + wait.toNanos();
    Map<GroupMember, R> given = new LinkedHashMap<>();
    for (Map.Entry<GroupMember, CompletionStage<R>> answer : answers.entrySet()) {
      CompletableFuture<R> future = answer.getValue().toCompletableFuture();
      try {
        given.put(
            answer.getKey(),
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception noAnswer) {
        LOG.log(Level.FINE, "A server gave no answer", noAnswer);
      }
    }
    return given;
  }

  /** A bean of this server, for a question being answered here. */
  public <T> T bean(Class<T> type) {
    return beans.select(type).get();
  }

  private void arrived(ClusterWide change) throws Exception {
    // in the application's context rather than on the JGroups thread; done when answered
    executor.submit(() -> arrived.fire(change)).get(TELL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A change another server made: fired here as an event of its own type. */
  static final class Told implements Command<Void, Cluster, Exception>, Serializable {

    private static final long serialVersionUID = 1L;
    private final ClusterWide change;

    Told(ClusterWide change) {
      this.change = change;
    }

    @Override
    public Void execute(Cluster cluster) throws Exception {
      cluster.arrived(change);
      return null;
    }

    @Override
    public String toString() {
      return "told " + change;
    }
  }
}
