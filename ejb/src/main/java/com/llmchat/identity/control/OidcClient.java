package com.llmchat.identity.control;

import com.llmchat.identity.control.IdTokens.InvalidTokenException;
import com.llmchat.identity.entity.ProviderSettings;
import com.llmchat.json.JsonFactory;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The client side of OpenID Connect's authorization code flow with PKCE (S256), against one
 * provider: its discovery document, the URL a browser is sent to (with state, nonce and the code
 * challenge), and the code exchanged for an ID token, which {@link IdTokens} checks. Nothing is
 * kept here: the caller keeps the state, nonce and verifier in the browser's session.
 */
public final class OidcClient {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the provider's discovery document says of it. */
  public record Discovery(
      String issuer,
      URI authorizationEndpoint,
      URI tokenEndpoint,
      URI jwksUri,
      URI endSessionEndpoint) {}

  /** A login begun: where to send the browser, and what to keep until it comes back. */
  public record Begun(URI authorizationUrl, String state, String nonce, String verifier) {}

  /** Who logged in, as the ID token says. */
  public record Person(
      String subject,
      String username,
      String displayName,
      String email,
      List<String> groups,
      String idToken) {}

  /** The provider could not be asked, or answered with an error. */
  public static final class ProviderException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProviderException(String message) {
      super(message);
    }
  }

  private final ProviderSettings settings;
  private final HttpClient http;
  private final Duration timeout;

  public OidcClient(ProviderSettings settings, Duration timeout) throws GeneralSecurityException {
    this.settings = settings;
    this.timeout = timeout;
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
    if (settings.caCertificates() != null) {
      builder.sslContext(PemTrust.context(settings.caCertificates()));
    }
    this.http = builder.build();
  }

  /** Reads {@code <issuer>/.well-known/openid-configuration}; its issuer must be the one set. */
  public Discovery discover() throws ProviderException {
    String issuer = settings.issuer();
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    JsonObject document = getJson(URI.create(base + "/.well-known/openid-configuration"));
    if (!issuer.equals(document.getString("issuer", null))) {
      throw new ProviderException(
          "the discovery document names the issuer "
              + document.getString("issuer", "(none)")
              + ", not "
              + issuer
              + " (set the issuer exactly as the provider's tokens carry it)");
    }
    try {
      String endSession = document.getString("end_session_endpoint", null);
      return new Discovery(
          issuer,
          URI.create(document.getString("authorization_endpoint")),
          URI.create(document.getString("token_endpoint")),
          URI.create(document.getString("jwks_uri")),
          endSession == null ? null : URI.create(endSession));
    } catch (RuntimeException e) {
      throw new ProviderException(
          "the discovery document lacks an endpoint: authorization_endpoint, token_endpoint and"
              + " jwks_uri are required");
    }
  }

  public List<IdTokens.Key> keys(Discovery discovery) throws ProviderException {
    try {
      return IdTokens.keys(getJson(discovery.jwksUri()));
    } catch (InvalidTokenException e) {
      throw new ProviderException(e.getMessage());
    }
  }

  /** A new login: the authorization URL with a fresh state, nonce and PKCE code challenge. */
  public Begun begin(Discovery discovery, URI redirectUri) {
    String state = random();
    String nonce = random();
    String verifier = random() + random();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", settings.clientId());
    query.put("redirect_uri", redirectUri.toString());
    query.put("scope", settings.scopes());
    query.put("state", state);
    query.put("nonce", nonce);
    query.put("code_challenge", challenge(verifier));
    query.put("code_challenge_method", "S256");
    String endpoint = discovery.authorizationEndpoint().toString();
    return new Begun(
        URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(query)),
        state,
        nonce,
        verifier);
  }

  /** Exchanges the code (with the PKCE verifier and the client secret) for the ID token. */
  public String exchange(
      Discovery discovery, String clientSecret, URI redirectUri, String code, String verifier)
      throws ProviderException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("grant_type", "authorization_code");
    body.put("code", code);
    body.put("redirect_uri", redirectUri.toString());
    body.put("code_verifier", verifier);
    body.put("client_id", settings.clientId());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(discovery.tokenEndpoint())
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
    if (clientSecret != null) {
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (encode(settings.clientId()) + ":" + encode(clientSecret))
                          .getBytes(StandardCharsets.UTF_8)));
    }
    JsonObject tokens =
        send(request.POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), "token");
    String idToken = tokens.getString("id_token", null);
    if (idToken == null) {
      throw new ProviderException("the token endpoint returned no ID token (is openid a scope?)");
    }
    return idToken;
  }

  /** The person an ID token names, once {@link IdTokens#verify} accepted it. */
  public Person person(Discovery discovery, List<IdTokens.Key> keys, String idToken, String nonce)
      throws InvalidTokenException {
    JsonObject claims =
        IdTokens.verify(
            idToken, keys, discovery.issuer(), settings.clientId(), nonce, Instant.now());
    return new Person(
        claims.getString("sub"),
        text(claims, settings.usernameClaim()),
        text(claims, settings.displayNameClaim()),
        text(claims, settings.emailClaim()),
        IdTokens.strings(claims.get(settings.groupsClaim())),
        idToken);
  }

  /** Where a browser is sent to end its session at the provider too (RP-initiated logout). */
  public static URI logout(Discovery discovery, String clientId, String idToken, URI afterLogout) {
    if (discovery.endSessionEndpoint() == null) {
      return null;
    }
    Map<String, String> query = new LinkedHashMap<>();
    if (idToken != null) {
      query.put("id_token_hint", idToken);
    }
    query.put("client_id", clientId);
    query.put("post_logout_redirect_uri", afterLogout.toString());
    String endpoint = discovery.endSessionEndpoint().toString();
    return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(query));
  }

  private static String text(JsonObject claims, String name) {
    List<String> values = IdTokens.strings(claims.get(name));
    return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).strip();
  }

  private JsonObject getJson(URI uri) throws ProviderException {
    return send(
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").build(),
        uri.getPath());
  }

  private JsonObject send(HttpRequest request, String what) throws ProviderException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ProviderException(
          "the identity provider cannot be reached at " + request.uri() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException("interrupted while asking the identity provider");
    }
    JsonObject body;
    try {
      body = JsonFactory.parseObject(response.body());
    } catch (RuntimeException e) {
      throw new ProviderException(
          "the identity provider answered "
              + response.statusCode()
              + " without JSON at "
              + request.uri());
    }
    if (response.statusCode() != 200) {
      throw new ProviderException(
          "the identity provider refused ("
              + what
              + ", "
              + response.statusCode()
              + "): "
              + body.getString("error", "")
              + " "
              + body.getString("error_description", ""));
    }
    return body;
  }

  private static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
