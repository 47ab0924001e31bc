package com.llmchat.usage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ClaimQueueTest {

  /** Doubles each claim, one statement per batch, and records the batches. */
  private static final class Doubling implements Function<List<Integer>, List<Integer>> {
    final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger running = new AtomicInteger();
    volatile int mostAtOnce;
    volatile CountDownLatch hold = new CountDownLatch(0);

    @Override
    public List<Integer> apply(List<Integer> claims) {
      int now = running.incrementAndGet();
      mostAtOnce = Math.max(mostAtOnce, now);
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      batches.add(List.copyOf(claims));
      running.decrementAndGet();
      return claims.stream().map(claim -> claim * 2).toList();
    }
  }

  @Test
  void aClaimAloneIsDecidedAtOnceByItsOwnCaller() {
    ClaimQueue<Integer, Integer> queue = new ClaimQueue<>(8, 1);
    Doubling decide = new Doubling();
    Thread caller = Thread.currentThread();
    assertEquals(
        14,
        queue.decide(
            7,
            claims -> {
              assertSame(caller, Thread.currentThread());
              return decide.apply(claims);
            }));
    assertEquals(List.of(List.of(7)), decide.batches);
  }

  @Test
  void claimsMadeWhileAStatementRunsAreDecidedTogetherInTheOrderTheyCame() throws Exception {
    ClaimQueue<Integer, Integer> queue = new ClaimQueue<>(8, 1);
    Doubling decide = new Doubling();
    assertEquals(List.of(0, 2, 4, 6, 8, 10), queuedBehind(queue, decide, 1, 5));
    assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5)), decide.batches);
  }

  @Test
  void aBatchHoldsAtMostItsLimitAndTheRestGoNextWithOneStatementAtATime() throws Exception {
    ClaimQueue<Integer, Integer> queue = new ClaimQueue<>(3, 1);
    Doubling decide = new Doubling();
    assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14), queuedBehind(queue, decide, 1, 7));
    assertEquals(
        List.of(List.of(0), List.of(1, 2, 3), List.of(4, 5, 6), List.of(7)), decide.batches);
    assertEquals(1, decide.mostAtOnce);
  }

  @Test
  void withTwoAtOnceASecondClaimRunsBesideTheFirstAndTheRestQueueBehindBoth() throws Exception {
    ClaimQueue<Integer, Integer> queue = new ClaimQueue<>(8, 2);
    Doubling decide = new Doubling();
    assertEquals(List.of(0, 2, 4, 6, 8), queuedBehind(queue, decide, 2, 3));
    assertEquals(2, decide.mostAtOnce);
    // the two first statements end together: the batch behind them may run before the second
    // one records its own, so the order of the three is not the test's
    assertEquals(3, decide.batches.size(), decide.batches.toString());
    assertEquals(
        Set.of(List.of(0), List.of(1), List.of(2, 3, 4)),
        Set.copyOf(decide.batches),
        decide.batches.toString());
  }

  /**
   * Claims 0 to {@code running} - 1 decided by statements held until the next {@code behind} claims
   * have queued, one after another; each claim's outcome.
   */
  private static List<Integer> queuedBehind(
      ClaimQueue<Integer, Integer> queue, Doubling decide, int running, int behind)
      throws Exception {
    decide.hold = new CountDownLatch(1);
    ExecutorService callers = Executors.newFixedThreadPool(running + behind);
    try {
      List<Future<Integer>> calls = new ArrayList<>();
      for (int claim = 0; claim < running + behind; claim++) {
        int made = claim;
        calls.add(callers.submit(() -> queue.decide(made, decide)));
        while (claim < running
            ? decide.running.get() <= claim
            : queue.waiting() < claim - running + 1) {
          Thread.sleep(1);
        }
      }
      decide.hold.countDown();
      List<Integer> outcomes = new ArrayList<>();
      for (Future<Integer> call : calls) {
        outcomes.add(call.get(10, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aFailedStatementFailsEveryClaimOfItsBatchAndTheNextBatchStillRuns() throws Exception {
    ClaimQueue<Integer, Integer> queue = new ClaimQueue<>(8, 1);
    CountDownLatch hold = new CountDownLatch(1);
    AtomicInteger statements = new AtomicInteger();
    Function<List<Integer>, List<Integer>> decide =
        claims -> {
          int statement = statements.incrementAndGet();
          try {
            hold.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (statement == 2) {
            throw new IllegalStateException("the database went away");
          }
          return claims;
        };
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      Future<Integer> first = callers.submit(() -> queue.decide(1, decide));
      while (statements.get() == 0) {
        Thread.sleep(1);
      }
      Future<Integer> second = callers.submit(() -> queue.decide(2, decide));
      Future<Integer> third = callers.submit(() -> queue.decide(3, decide));
      while (queue.waiting() < 2) {
        Thread.sleep(1);
      }
      hold.countDown();
      assertEquals(1, first.get(10, TimeUnit.SECONDS));
      for (Future<Integer> failed : List.of(second, third)) {
        var thrown = assertThrows(Exception.class, () -> failed.get(10, TimeUnit.SECONDS));
        assertTrue(thrown.getCause() instanceof IllegalStateException, thrown.toString());
      }
      assertEquals(4, queue.decide(4, decide));
      assertEquals(3, statements.get());
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void manyCallersEachGetTheirOwnOutcome() throws Exception {
    ClaimQueue<Integer, Integer> queue = new ClaimQueue<>(16, 2);
    Doubling decide = new Doubling();
    ExecutorService callers = Executors.newFixedThreadPool(32);
    try {
      List<Future<Integer>> outcomes = new ArrayList<>();
      for (int claim = 0; claim < 2000; claim++) {
        int made = claim;
        outcomes.add(callers.submit(() -> queue.decide(made, decide)));
      }
      for (int claim = 0; claim < 2000; claim++) {
        assertEquals(claim * 2, outcomes.get(claim).get(10, TimeUnit.SECONDS));
      }
      assertTrue(decide.mostAtOnce <= 2, String.valueOf(decide.mostAtOnce));
      assertEquals(2000, decide.batches.stream().mapToInt(List::size).sum());
      assertTrue(decide.batches.stream().allMatch(batch -> batch.size() <= 16));
    } finally {
      callers.shutdownNow();
    }
  }
}
