package com.llmchat.conversations.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplyJournalTest {

  private static byte[] frame(int id) {
    return ("id: " + id + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ReplyEvents events) {
    return new String(events.frames(), StandardCharsets.UTF_8);
  }

  @Test
  void eventsAfterAnIdAreThoseSinceInOrder() {
    var journal = new ReplyJournal(1 << 20);
    for (int id = 1; id <= 4; id++) {
      journal.append(frame(id));
    }
    ReplyEvents events = journal.after(2, 0);
    assertEquals("id: 3\n\nid: 4\n\n", text(events));
    assertEquals(4, events.lastId());
    assertFalse(events.ended());
    assertFalse(events.missed());
    assertEquals("", text(journal.after(4, 0)));
    assertEquals(4, journal.after(4, 0).lastId());
  }

  @Test
  void aReaderWaitsForTheNextEventOrTheEnd() throws Exception {
    var journal = new ReplyJournal(1 << 20);
    journal.append(frame(1));
    var read = CompletableFuture.supplyAsync(() -> journal.after(1, TimeUnit.SECONDS.toNanos(10)));
    Thread.sleep(100);
    assertFalse(read.isDone());
    journal.append(frame(2));
    assertEquals("id: 2\n\n", text(read.get(5, TimeUnit.SECONDS)));

    var ending =
        CompletableFuture.supplyAsync(() -> journal.after(2, TimeUnit.SECONDS.toNanos(10)));
    Thread.sleep(100);
    journal.end();
    ReplyEvents last = ending.get(5, TimeUnit.SECONDS);
    assertTrue(last.ended());
    assertEquals(0, last.frames().length);
  }

  @Test
  void aReaderThatFindsNothingWithinItsWaitGetsNothing() {
    var journal = new ReplyJournal(1 << 20);
    journal.append(frame(1));
    long started = System.nanoTime();
    ReplyEvents none = journal.after(1, TimeUnit.MILLISECONDS.toNanos(50));
    assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(50));
    assertArrayEquals(new byte[0], none.frames());
    assertEquals(1, none.lastId());
  }

  @Test
  void pastItsBoundTheOldestEventsGoAndAskingForThemIsMissed() {
    byte[] one = frame(1);
    var journal = new ReplyJournal(one.length * 3L);
    for (int id = 1; id <= 5; id++) {
      journal.append(frame(id));
    }
    assertTrue(journal.after(1, 0).missed());
    assertEquals("id: 3\n\nid: 4\n\nid: 5\n\n", text(journal.after(2, 0)));
  }

  @Test
  void aJournalIsAbandonedOnlyWhenNobodyReadItForTheGraceSinceItsClientWent() throws Exception {
    var journal = new ReplyJournal(1 << 20);
    journal.append(frame(1));
    long gone = System.nanoTime();
    long grace = TimeUnit.MILLISECONDS.toNanos(200);
    assertFalse(journal.unreadFor(gone, grace));
    Thread.sleep(150);
    journal.after(0, 0);
    Thread.sleep(150);
    // read 150 ms ago: not yet
    assertFalse(journal.unreadFor(gone, grace));
    var waiting =
        CompletableFuture.supplyAsync(() -> journal.after(1, TimeUnit.MILLISECONDS.toNanos(400)));
    Thread.sleep(300);
    // a reader waits on it now
    assertFalse(journal.unreadFor(gone, grace));
    waiting.get(5, TimeUnit.SECONDS);
    Thread.sleep(250);
    assertTrue(journal.unreadFor(gone, grace));
  }
}
