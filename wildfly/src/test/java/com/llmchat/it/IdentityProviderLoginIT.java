package com.llmchat.it;

import static com.llmchat.it.Api.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.identity.control.IdTokens;
import com.llmchat.json.JsonFactory;
import jakarta.json.JsonObject;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Company login through a real Keycloak (OpenID Connect, authorization code flow with PKCE):
 * through the login page in Chromium and step by step over HTTP; the groups claim mapped to our
 * groups and to the administrator role; a callback used twice refused; logout ending the session at
 * Keycloak too; ID tokens from another realm or for another client refused by the same checks the
 * server runs.
 */
class IdentityProviderLoginIT extends DeployedEar {

  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

  private static Keycloak keycloak;
  private static long provider;
  private static String name;

  @BeforeAll
  static void identityProvider() throws Exception {
    keycloak = Keycloak.start();
    name = "Keycloak " + UUID.randomUUID().toString().substring(0, 6);
    var created =
        Api.post(
            "v1/admin/identity-providers",
            Tokens.admin(),
            "{\"name\":"
                + q(name)
                + ",\"issuer\":"
                + q(keycloak.issuer("staff"))
                + ",\"clientId\":\"llmchat\",\"clientSecret\":"
                + q(keycloak.secret)
                + "}");
    assertEquals(201, created.statusCode(), created.body());
    provider = Json.object(created.body()).getJsonNumber("id").longValue();
  }

  @AfterAll
  static void removeProvider() throws Exception {
    Api.delete("v1/admin/identity-providers/" + provider, Tokens.admin());
  }

  private static long map(String providerGroup, Long group, boolean admin) throws Exception {
    var mapped =
        Api.post(
            "v1/admin/identity-providers/" + provider + "/mappings",
            Tokens.admin(),
            "{\"providerGroup\":"
                + q(providerGroup)
                + (group == null ? "" : ",\"groupId\":" + group)
                + ",\"administrator\":"
                + admin
                + "}");
    assertEquals(201, mapped.statusCode(), mapped.body());
    return Json.object(mapped.body()).getJsonNumber("id").longValue();
  }

  /**
   * Cookies by name for the one host both servers are on, whatever their path or Secure flag says
   * (as a browser treats 127.0.0.1: Keycloak marks its cookies Secure, and the tests speak HTTP).
   */
  private static final class Jar extends CookieHandler {
    private final Map<String, String> cookies = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
      if (cookies.isEmpty()) {
        return Map.of();
      }
      return Map.of(
          "Cookie",
          List.of(
              cookies.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining("; "))));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) {
      headers.forEach(
          (name, values) -> {
            if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
              for (String value : values) {
                String pair = value.split(";", 2)[0];
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                  continue;
                }
                String lower = value.toLowerCase(Locale.ROOT);
                if (lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")) {
                  cookies.remove(pair.substring(0, equals).strip());
                } else {
                  cookies.put(pair.substring(0, equals).strip(), pair.substring(equals + 1));
                }
              }
            }
          });
    }
  }

  /** A browser without a browser: cookies kept, redirects looked at one by one. */
  private static final class Agent {
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new Jar())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpResponse<String> get(String url) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String form) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    static String location(HttpResponse<String> response) {
      assertEquals(302, response.statusCode(), response.body());
      return URI.create(response.uri().toString())
          .resolve(response.headers().firstValue("Location").orElseThrow())
          .toString();
    }

    /** Up to Keycloak's answer to the password: the callback URL, not yet followed. */
    String callbackFor(String username) throws Exception {
      String authorization = location(get(Platform.APP + "/login/oidc/start?provider=" + provider));
      assertTrue(authorization.startsWith(keycloak.issuer("staff")), authorization);
      assertTrue(authorization.contains("code_challenge_method=S256"), authorization);
      assertTrue(authorization.contains("nonce="), authorization);
      var page = get(authorization);
      assertEquals(200, page.statusCode(), page.body());
      Matcher action = FORM_ACTION.matcher(page.body());
      assertTrue(action.find(), "Keycloak's login form");
      var answered =
          post(
              action.group(1).replace("&amp;", "&"),
              "username="
                  + URLEncoder.encode(username, StandardCharsets.UTF_8)
                  + "&password="
                  + URLEncoder.encode(keycloak.password, StandardCharsets.UTF_8)
                  + "&credentialId=");
      String callback = location(answered);
      assertTrue(callback.startsWith(Platform.APP + "/login/oidc/callback?"), callback);
      return callback;
    }

    /** The logged-in session's access token for the API (as the chat page gets it). */
    String accessToken() throws Exception {
      var token = get(Platform.APP + "/session/token");
      assertEquals(200, token.statusCode(), token.body());
      return Json.object(token.body()).getString("accessToken");
    }
  }

  @Test
  void theTestReadsDiscoveryAndKeys() throws Exception {
    var probe = Api.post("v1/admin/identity-providers/" + provider + "/test", Tokens.admin(), null);
    assertEquals(200, probe.statusCode(), probe.body());
    assertTrue(Json.object(probe.body()).getBoolean("ok"), probe.body());
    assertTrue(Json.object(probe.body()).getString("detail").contains("signing key"));
    assertFalse(
        Api.get("v1/admin/identity-providers/" + provider, Tokens.admin())
            .body()
            .contains(keycloak.secret),
        "the client secret is write-only");
  }

  @Test
  void theCodeFlowMakesTheAccountWithMappedGroupsAndACallbackWorksOnce() throws Exception {
    long group = ModelAccessIT.group("sso-users", false);
    String model = SharedModels.add("sso-model", "");
    ModelAccessIT.openTo(model, group);
    map("llm-users", group, false);
    map("/llm-admins", null, true);

    Agent alice = new Agent();
    String callback = alice.callbackFor("sso.alice");
    assertEquals(Platform.APP + "/", Agent.location(alice.get(callback)));
    String token = alice.accessToken();
    JsonObject me = Json.object(Api.get("v1/users/me", token).body());
    assertEquals("sso.alice", me.getString("username"));
    assertEquals("Alice Liu", me.getString("displayName"));
    assertEquals("alice@sso.test", me.getString("email"));
    assertEquals("USER", me.getString("role"));
    assertEquals("oidc:" + provider, me.getString("origin"));
    assertTrue(
        Json.array(Api.get("v1/models", token).body()).stream()
            .anyMatch(m -> model.equals(m.asJsonObject().getString("id"))),
        "the groups claim's llm-users opens the model");

    // the same callback again: its state was used, whoever brings it
    String replayed = Agent.location(alice.get(callback));
    assertTrue(replayed.endsWith("/login.xhtml?oidc=state"), replayed);
    String elsewhere = Agent.location(new Agent().get(callback));
    assertTrue(elsewhere.endsWith("/login.xhtml?oidc=state"), elsewhere);

    Agent bob = new Agent();
    assertEquals(Platform.APP + "/", Agent.location(bob.get(bob.callbackFor("sso.bob"))));
    assertEquals(
        "ADMIN",
        Json.object(Api.get("v1/users/me", bob.accessToken()).body()).getString("role"),
        "the /llm-admins path maps to the administrator role");
  }

  @Test
  void tokensFromAnotherRealmOrForAnotherClientAreRefused() throws Exception {
    JsonObject jwks =
        Json.object(
            Platform.HTTP
                .send(
                    HttpRequest.newBuilder(
                            URI.create(keycloak.issuer("staff") + "/protocol/openid-connect/certs"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    List<IdTokens.Key> keys = IdTokens.keys(JsonFactory.parseObject(jwks.toString()));
    String staff = keycloak.idToken("staff", "llmchat", "sso.alice");
    String nonce = JsonFactory.parseObject(payload(staff)).getString("nonce", null);
    // the staff realm's token for llmchat passes every check but the nonce (none was sent)
    String missingNonce =
        assertThrows(
                IdTokens.InvalidTokenException.class,
                () ->
                    IdTokens.verify(
                        staff, keys, keycloak.issuer("staff"), "llmchat", "n", Instant.now()))
            .getMessage();
    assertTrue(missingNonce.contains("nonce"), missingNonce + " (nonce in token: " + nonce + ")");

    String otherRealm = keycloak.idToken("other", "llmchat", "sso.alice");
    assertThrows(
        IdTokens.InvalidTokenException.class,
        () ->
            IdTokens.verify(
                otherRealm, keys, keycloak.issuer("staff"), "llmchat", null, Instant.now()),
        "signed by the other realm's key");
    String anotherClient = keycloak.idToken("staff", "another-app", "sso.alice");
    String refused =
        assertThrows(
                IdTokens.InvalidTokenException.class,
                () ->
                    IdTokens.verify(
                        anotherClient,
                        keys,
                        keycloak.issuer("staff"),
                        "llmchat",
                        null,
                        Instant.now()))
            .getMessage();
    assertTrue(refused.contains("is for"), refused);
  }

  private static String payload(String jwt) {
    return new String(
        java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
  }

  @Test
  void aPersonLogsInWithTheButtonAndLogsOutAtKeycloakToo() throws Exception {
    try (Browser browser = new Browser()) {
      browser.open("/login.xhtml");
      var button =
          browser.wait.until(
              ExpectedConditions.elementToBeClickable(By.linkText("Log in with " + name)));
      browser.screenshot("login-with-sso.png");
      button.click();
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
      browser.driver.findElement(By.id("username")).sendKeys("sso.alice");
      browser.driver.findElement(By.id("password")).sendKeys(keycloak.password);
      browser.driver.findElement(By.id("kc-login")).click();
      new ChatPage(browser).ready();
      assertEquals("sso.alice", browser.driver.findElement(By.id("who")).getText());

      browser.driver.findElement(By.id("session:logout")).click();
      browser.wait.until(ExpectedConditions.urlContains("/login.xhtml"));
      // the session at Keycloak ended too: the button asks for the password again
      browser
          .wait
          .until(ExpectedConditions.elementToBeClickable(By.linkText("Log in with " + name)))
          .click();
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kc-login")));
      assertTrue(browser.driver.getCurrentUrl().startsWith(keycloak.issuer("staff")));
    }
  }
}
