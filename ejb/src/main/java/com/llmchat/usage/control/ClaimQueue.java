package com.llmchat.usage.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Claims made at the same time, decided together: a caller runs the statement for its own claim
 * when fewer than {@code atOnce} statements run, else it waits, and the caller whose statement ends
 * hands the claims waiting longest, as one batch, to the first of them to run. Alone, a claim is
 * decided at once by its own caller; under load, each statement decides as many claims as came
 * while the ones before ran — one lock on a budget's counter rows per batch instead of one per call
 * (measured: at 256 concurrent calls of one user, the reservations had queued on those rows, each
 * holding them about 9 ms). The database still decides every claim; nothing is counted here.
 *
 * <p>No thread of its own: the callers take turns. A failure of the statement is every claim's of
 * the batch.
 *
 * @param <C> a claim
 * @param <R> what the statement decided for it
 */
public final class ClaimQueue<C, R> {

  /** One caller's claim, waiting to be decided or to decide. */
  private static final class Waiter<C, R> {
    final C claim;
    final Condition woken;
    boolean decided;

    /** The batch this caller runs, itself first: given when its turn comes. */
    List<Waiter<C, R>> batch;

    R outcome;
    RuntimeException failure;

    Waiter(C claim, Condition woken) {
      this.claim = claim;
      this.woken = woken;
    }
  }

  private final int most;
  private final int atOnce;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter<C, R>> waiting = new ArrayDeque<>();
  private int running;

  /** At most {@code most} claims in one statement, and {@code atOnce} statements at a time. */
  public ClaimQueue(int most, int atOnce) {
    if (most < 1 || atOnce < 1) {
      throw new IllegalArgumentException(
          "A batch holds at least one claim, and one runs at a time: " + most + ", " + atOnce);
    }
    this.most = most;
    this.atOnce = atOnce;
  }

  /** How many claims wait for a statement now (the one running not counted). */
  public int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Decides the claim: at once by {@code decide} when fewer statements than allowed run, else with
   * the next batch. {@code decide} gets the claims in the order they came and returns an outcome
   * for each, in the same order.
   */
  public R decide(C claim, Function<List<C>, List<R>> decide) {
    Waiter<C, R> me;
    lock.lock();
    try {
      me = new Waiter<>(claim, lock.newCondition());
      if (running == atOnce) {
        waiting.addLast(me);
        while (!me.decided && me.batch == null) {
          me.woken.awaitUninterruptibly();
        }
        if (me.decided) {
          return outcome(me);
        }
      } else {
        // fewer statements than allowed run: nobody waits
        running++;
        me.batch = List.of(me);
      }
    } finally {
      lock.unlock();
    }
    run(me.batch, decide);
    return outcome(me);
  }

  /**
   * Runs one batch, then hands the turn on with the next batch, the claims waiting longest (or ends
   * it).
   */
  private void run(List<Waiter<C, R>> batch, Function<List<C>, List<R>> decide) {
    List<R> outcomes = null;
    RuntimeException failure = null;
    try {
      List<C> claims = new ArrayList<>(batch.size());
      batch.forEach(waiter -> claims.add(waiter.claim));
      outcomes = decide.apply(claims);
      if (outcomes.size() != claims.size()) {
        throw new IllegalStateException(
            outcomes.size() + " outcomes for " + claims.size() + " claims");
      }
    } catch (RuntimeException | Error e) {
      failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
    lock.lock();
    try {
      for (int i = 0; i < batch.size(); i++) {
        Waiter<C, R> waiter = batch.get(i);
        waiter.decided = true;
        waiter.failure = failure;
        waiter.outcome = failure == null ? outcomes.get(i) : null;
        waiter.woken.signal();
      }
      if (waiting.isEmpty()) {
        running--;
      } else {
        List<Waiter<C, R>> next = new ArrayList<>(Math.min(most, waiting.size()));
        while (next.size() < most && !waiting.isEmpty()) {
          next.add(waiting.pollFirst());
        }
        next.get(0).batch = next;
        next.get(0).woken.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private R outcome(Waiter<C, R> waiter) {
    if (waiter.failure != null) {
      throw waiter.failure;
    }
    return waiter.outcome;
  }
}
