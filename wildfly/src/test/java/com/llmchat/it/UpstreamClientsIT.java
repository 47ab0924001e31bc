package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model server clients kept are bounded (LLMCHAT_LLM_MAX_CLIENTS, 3 in the test run), a
 * provider's client goes when the provider is changed or deleted, and a stream keeps its connection
 * when its client is evicted meanwhile. A client connects to the address the SSRF guard checked and
 * carries the name in the Host header and TLS.
 */
class UpstreamClientsIT extends DeployedEar {

  private static final int MAX_CLIENTS = 3;

  @BeforeAll
  static void configured() {
    assertEquals(
        String.valueOf(MAX_CLIENTS),
        Platform.requiredEnv("LLMCHAT_LLM_MAX_CLIENTS"),
        "run by bin/llmchat test");
    Platform.simulator();
  }

  @Test
  void clientsAreBoundedAndAProvidersClientGoesWhenItIsChangedOrDeleted() throws Exception {
    List<Long> providers = new ArrayList<>();
    for (int i = 0; i < MAX_CLIENTS + 2; i++) {
      long provider = provider("Bounded");
      providers.add(provider);
      check(provider);
      assertTrue(clients() <= MAX_CLIENTS, "kept: " + clients());
    }
    assertEquals(MAX_CLIENTS, clients());

    long last = providers.get(providers.size() - 1);
    var renamed =
        Api.put(
            "v1/admin/providers/" + last,
            Tokens.admin(),
            "{\"name\":" + Api.q("Renamed " + UUID.randomUUID()) + "}");
    assertEquals(200, renamed.statusCode(), renamed.body());
    assertEquals(MAX_CLIENTS - 1, clients(), "the changed provider's client is closed");

    check(last);
    assertEquals(MAX_CLIENTS, clients());
    assertEquals(204, Api.delete("v1/admin/providers/" + last, Tokens.admin()).statusCode());
    assertEquals(MAX_CLIENTS - 1, clients(), "the deleted provider's client is closed");
  }

  @Test
  void aStreamWhoseClientIsEvictedMeanwhileArrivesWhole() throws Exception {
    String alias = SharedModels.add("evicted", "");
    String token = TestAccounts.sharedUser().accessToken();
    var stream =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SseClient.chat(token, alias, "Long one [sim tokens=30 gap-ms=50]");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(300);
    for (int i = 0; i < MAX_CLIENTS + 1; i++) {
      check(provider("Evicting"));
    }
    var chat = stream.get();
    assertTrue(chat.named("error").isEmpty(), chat.events().toString());
    assertEquals(30, chat.named("delta").size(), chat.events().toString());
    assertEquals("complete", chat.reply().getString("status"));
  }

  private static long provider(String name) throws Exception {
    var created =
        Api.post(
            "v1/admin/providers",
            Tokens.admin(),
            "{\"name\":"
                + Api.q(name + " " + UUID.randomUUID())
                + ",\"baseUrl\":"
                + Api.q(Platform.simulator().baseUrl())
                + ",\"allowPrivateNetwork\":true}");
    assertEquals(201, created.statusCode(), created.body());
    return Json.object(created.body()).getJsonNumber("id").longValue();
  }

  /** The connection test: a call to the provider's /models through its client. */
  private static void check(long provider) throws Exception {
    var check = Api.post("v1/admin/providers/" + provider + "/test", Tokens.admin(), null);
    assertEquals(200, check.statusCode(), check.body());
    assertTrue(Json.object(check.body()).getBoolean("reachable"), check.body());
  }

  private static int clients() throws Exception {
    String text = Platform.get(Platform.MANAGEMENT + "/prometheus", null).body();
    Matcher gauge = Pattern.compile("\\nllmchat_upstream_clients\\{[^}]*} (\\S+)").matcher(text);
    assertTrue(gauge.find(), "gauge llmchat_upstream_clients missing");
    return (int) Double.parseDouble(gauge.group(1));
  }

  /**
   * A model server by name is reached at the address the SSRF guard checked, with its name in the
   * Host header (no second lookup); over HTTPS the name is what the certificate is checked for.
   */
  @Test
  void aModelServerByNameIsReachedAtTheCheckedAddressAndNamedInTheHostHeader() throws Exception {
    var plain = Platform.extraSimulator("127.0.0.1", null, null);
    String byName = "http://localhost:" + plain.port() + "/v1";
    String alias = SharedModels.add("by-name", byName, "");

    var chat = SseClient.chat(TestAccounts.sharedUser().accessToken(), alias, "Hi [sim tokens=2]");
    assertEquals("This is", chat.content(), chat.events().toString());
    assertEquals("localhost:" + plain.port(), plain.lastHost());
  }

  @Test
  void anHttpsModelServerIsVerifiedForItsNameWhileReachedAtItsAddress() throws Exception {
    var tls = Platform.tlsSimulator();
    String alias = SharedModels.add("tls", "https://localhost:" + tls.port() + "/v1", "");

    var chat = SseClient.chat(TestAccounts.sharedUser().accessToken(), alias, "Hi [sim tokens=3]");
    assertEquals("This is a", chat.content(), chat.events().toString());
    assertEquals("localhost:" + tls.port(), tls.lastHost());
  }

  @Test
  void anHttpsCertificateForAnotherNameIsRefused() throws Exception {
    var tls = Platform.tlsSimulator();
    // the certificate names localhost only; its address is not a name it was issued for
    String alias = SharedModels.add("tls-ip", "https://127.0.0.1:" + tls.port() + "/v1", "");

    var chat = SseClient.chat(TestAccounts.sharedUser().accessToken(), alias, "Hi [sim tokens=3]");
    var error = chat.named("error");
    assertEquals(1, error.size(), chat.events().toString());
    assertEquals(
        "upstream_failed", Json.object(error.get(0).data()).getString("code"), error.toString());
    assertEquals("failed", chat.reply().getString("status"));
    assertEquals(null, tls.lastHost(), "a request went through");
  }
}
