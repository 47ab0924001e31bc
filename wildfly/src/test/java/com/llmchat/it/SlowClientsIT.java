package com.llmchat.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients that are slow on purpose cannot take the server away from everybody else: a slowloris
 * crowd sending its headers a byte at a time is cut after the parse timeout while a normal user
 * logs in and chats, and a client that stops reading a reply is cut after the write timeout, which
 * also ends its model server call (the test run sets both timeouts to 3 s).
 */
class SlowClientsIT extends DeployedEar {

  private static final URI APP = URI.create(Platform.APP);
  private static final int CROWD = 500;

  @Test
  void aSlowlorisCrowdIsCutOffWhileANormalUserLogsInAndChats() throws Exception {
    Platform.simulator();
    var user = TestAccounts.user("patient");
    List<Socket> crowd = new ArrayList<>();
    var dribbler = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < CROWD; i++) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(APP.getHost(), APP.getPort()), 5_000);
        socket.getOutputStream().write("GET /login.xhtml HTTP/1.1\r\nHost: x\r\nX-a: ".getBytes());
        crowd.add(socket);
      }
      // one more header byte a second on every connection, never the end of the headers
      dribbler.scheduleAtFixedRate(
          () -> {
            for (Socket socket : crowd) {
              try {
                socket.getOutputStream().write('a');
              } catch (Exception closedByTheServer) {
                // expected once the parse timeout has run out
              }
            }
          },
          1,
          1,
          TimeUnit.SECONDS);

      // meanwhile a normal user logs in and gets a whole reply
      var login = TestAccounts.login(user.username(), user.password());
      var chat =
          SseClient.chat(login.accessToken(), "demo", "Still there? [sim tokens=5 gap-ms=5]");
      assertTrue(chat.named("error").isEmpty(), chat.events().toString());
      assertEquals("complete", chat.reply().getString("status"));

      // and the crowd is gone: every connection closed by the server within a bounded time
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> crowd.stream().allMatch(SlowClientsIT::closedByServer));
    } finally {
      dribbler.shutdownNow();
      for (Socket socket : crowd) {
        socket.close();
      }
    }
  }

  /** True when the server has closed the connection (end of stream or reset), without waiting. */
  private static boolean closedByServer(Socket socket) {
    try {
      socket.setSoTimeout(1);
      InputStream in = socket.getInputStream();
      int read = in.read();
      // a 408 or a close; either way nothing that keeps the connection
      return read == -1 || read == 'H' && drained(in);
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (Exception reset) {
      return true;
    }
  }

  private static boolean drained(InputStream in) {
    try {
      while (in.read() != -1) {
        // the rest of an error answer
      }
      return true;
    } catch (Exception e) {
      return e instanceof SocketTimeoutException ? false : true;
    }
  }

  @Test
  void aClientThatStopsReadingIsCutOffAndItsModelServerCallEnds() throws Exception {
    Platform.simulator();
    String token = Tokens.user();
    long conversation = SseClient.conversation(token, "demo");
    long abandonedBefore = Platform.stat(Platform.simulator(), "abandonedStreams");
    byte[] body =
        "{\"content\":\"Flood me [sim tokens=20000 piece-chars=8192 gap-ms=0 ttft-ms=1]\"}"
            .getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress(APP.getHost(), APP.getPort()), 5_000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/v1/conversations/"
                      + conversation
                      + "/messages HTTP/1.1\r\nHost: "
                      + APP.getHost()
                      + "\r\nAuthorization: Bearer "
                      + token
                      + "\r\nContent-Type: application/json\r\nAccept: text/event-stream"
                      + "\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      // ...and never read a byte of the answer

      // the write timeout is 3 s in the test run; filling the socket buffers takes a moment more
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Platform.stat(Platform.simulator(), "abandonedStreams") > abandonedBefore);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> lastReplyStatus(token, conversation).equals("interrupted"));
  }

  private static String lastReplyStatus(String token, long conversation) throws Exception {
    var items =
        Json.object(Api.get("v1/conversations/" + conversation + "/messages", token).body())
            .getJsonArray("items");
    return items.getJsonObject(items.size() - 1).getString("status");
  }

  @Test
  void aKeepAliveConnectionIdlePastTheTimeoutsStillAnswersItsNextRequest() throws Exception {
    try (Socket socket = new Socket(APP.getHost(), APP.getPort())) {
      socket.setSoTimeout(10_000);
      var in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      for (int i = 0; i < 2; i++) {
        socket
            .getOutputStream()
            .write(
                ("GET /api/v1/info HTTP/1.1\r\nHost: " + APP.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        assertEquals("HTTP/1.1 200 OK", in.readLine(), "request " + (i + 1));
        long length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
          if (line.toLowerCase().startsWith("content-length:")) {
            length = Long.parseLong(line.substring(15).strip());
          }
        }
        assertTrue(length > 0, "a sized answer");
        in.skip(length);
        // idle for longer than the parse and write timeouts of the test run (3 s)
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
      }
    }
  }
}
