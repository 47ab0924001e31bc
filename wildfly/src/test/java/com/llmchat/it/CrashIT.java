package com.llmchat.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9: an installation of its own (the launcher, a database of its own on the test run's
 * PostgreSQL) is killed while 20 replies stream and after 50 completed. After the restart every
 * completed reply is there and whole, every reply that was in flight is interrupted, nothing is
 * duplicated, the usage ledger matches the stored replies, and the conversations hit by the crash
 * take new messages at once.
 */
class CrashIT extends DeployedEar {

  private static final int COMPLETED = 50;
  private static final int IN_FLIGHT = 20;

  @TempDir Path temp;

  @Test
  void killingTheServerLosesNothingThatWasStoredAndLeavesNothingHalfDone() throws Exception {
    Platform.simulator();
    try (var installation = new Installation(temp, Map.of())) {
      installation.launcher("run");
      String token = installation.login();

      // a budget every reply reserves in: none may stay held after the crash
      try (Connection db = installation.database()) {
        db.createStatement()
            .executeUpdate(
                "insert into budget (id, account_id, period, token_limit, created_at, version)"
                    + " select nextval('budget_seq'), min(id), 'MONTH', 1000000000, now(), 1"
                    + " from account");
      }

      Map<Long, String> completed = new HashMap<>();
      for (int i = 0; i < COMPLETED; i++) {
        long conversation = installation.conversation(token);
        String reply =
            send(installation, token, conversation, "Done " + i + " [sim tokens=3 gap-ms=1]", null);
        completed.put(conversation, reply);
      }

      // 20 long replies, each seen streaming, then the server dies under them
      Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        long conversation = installation.conversation(token);
        AtomicInteger deltas = new AtomicInteger();
        inFlight.put(conversation, deltas);
        Thread reader =
            new Thread(
                () -> {
                  try {
                    send(
                        installation,
                        token,
                        conversation,
                        "Long [sim tokens=400 gap-ms=50]",
                        deltas);
                  } catch (Exception cutOff) {
                    // the server was killed: expected
                  }
                });
        reader.start();
        readers.add(reader);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> inFlight.values().stream().allMatch(d -> d.get() >= 2));
      long pid = installation.serverPid();
      ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
      new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
      for (Thread reader : readers) {
        reader.join(30_000);
      }

      installation.launcher("run");
      String afterRestart = installation.login();

      try (Connection db = installation.database()) {
        for (var done : completed.entrySet()) {
          assertEquals(
              "COMPLETE", one(db, lastReply(done.getKey(), "status")), "reply of " + done.getKey());
          assertEquals(done.getValue(), one(db, lastReply(done.getKey(), "content")));
        }
        for (long conversation : inFlight.keySet()) {
          assertEquals(
              "INTERRUPTED",
              one(db, lastReply(conversation, "status")),
              "in flight " + conversation);
        }
        assertEquals("0", one(db, "select count(*) from message where status = 'STREAMING'"));
        assertEquals(
            "0",
            one(
                db,
                "select count(*) from (select conversation_id from message where not superseded"
                    + " group by conversation_id having count(*) <> 2) as odd"),
            "every conversation has its question and one reply, no more");
        // one ledger row per stored reply, with the reply's own counts; none for a reply that never
        // finished (it generated for nobody once its server was gone)
        assertEquals(
            String.valueOf(COMPLETED), one(db, "select count(*) from usage_record"), "ledger rows");
        assertEquals(
            "0",
            one(
                db,
                "select count(*) from message m where m.status = 'COMPLETE' and m.role = 'ASSISTANT'"
                    + " and not exists (select 1 from usage_record u where u.message_id = m.id"
                    + " and u.completion_tokens = m.completion_tokens)"),
            "every complete reply has its ledger row, with the same tokens");
        // the cut-off replies' reservations were settled by the restart's recovery: nothing held,
        // and the budget used what the ledger says
        assertEquals("0", one(db, "select count(*) from reservation"), "reservations left");
        assertEquals("0", one(db, "select sum(reserved_tokens) from budget_use"));
        assertEquals(
            one(db, "select sum(prompt_tokens + completion_tokens) from usage_record"),
            one(db, "select sum(used_tokens) from budget_use"));
      }

      // the conversations hit by the crash take a new message at once
      for (long conversation : inFlight.keySet()) {
        assertTrue(
            send(installation, afterRestart, conversation, "Again [sim tokens=2 gap-ms=1]", null)
                    .length()
                > 0,
            "conversation " + conversation);
      }
    }
  }

  private static String lastReply(long conversation, String column) {
    return "select "
        + column
        + " from message where conversation_id = "
        + conversation
        + " and role = 'ASSISTANT' and not superseded order by position desc limit 1";
  }

  private static String one(Connection db, String sql) throws Exception {
    try (var rows = db.createStatement().executeQuery(sql)) {
      assertTrue(rows.next(), sql);
      return rows.getString(1);
    }
  }

  /** Sends a message and reads its reply stream to the end; the stored reply's text. */
  private static String send(
      Installation installation,
      String token,
      long conversation,
      String content,
      AtomicInteger deltas)
      throws Exception {
    String[] reply = {null};
    installation.send(
        token,
        conversation,
        content,
        (event, data) -> {
          if (event.equals("delta") && deltas != null) {
            deltas.incrementAndGet();
          } else if (event.equals("done")) {
            reply[0] = Json.object(data).getJsonObject("reply").getString("content");
          }
        });
    assertTrue(reply[0] != null, "no done event");
    return reply[0];
  }
}
