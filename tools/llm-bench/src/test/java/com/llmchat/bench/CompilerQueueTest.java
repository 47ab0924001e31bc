package com.llmchat.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up reads {@code jcmd <pid> Compiler.queue} as JDK 17 and 25 print it. */
class CompilerQueueTest {

  /**
   * The answer of a JVM compiling {@code current} (or nothing), with {@code queued} in C2's queue.
   */
  private static String answer(String current, String queued) {
    return "31471:\nCurrent compiles: \n"
        + current
        + "\nC1 compile queue:\nEmpty\n\nC2 compile queue:\n"
        + (queued.isEmpty() ? "Empty" : queued)
        + "\n\n";
  }

  @Test
  void nothingCompilingAndBothQueuesEmptyIsIdle() {
    assertTrue(Bench.compilerIdle(answer("", "")));
  }

  @Test
  void aMethodBeingCompiledOrQueuedIsNotIdle() {
    assertFalse(
        Bench.compilerIdle(
            answer("C2 CompilerThread0  34213   4   java.util.HashMap::putVal (300 bytes)\n", "")));
    assertFalse(
        Bench.compilerIdle(answer("", "  34215   4   java.lang.String::indexOf (70 bytes)")));
  }

  @Test
  void noAnswerCountsAsIdle() {
    assertTrue(Bench.compilerIdle(""));
  }
}
