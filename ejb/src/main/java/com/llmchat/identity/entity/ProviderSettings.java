package com.llmchat.identity.entity;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An OpenID Connect identity provider's settings, all but the client secret. {@link #validated()}
 * checks each value and says which one is wrong.
 *
 * @param issuer the issuer URL exactly as the provider's tokens carry it (discovery reads {@code
 *     <issuer>/.well-known/openid-configuration})
 * @param scopes space-separated; {@code openid} is always asked for
 */
public record ProviderSettings(
    String name,
    boolean enabled,
    int position,
    String issuer,
    String clientId,
    String scopes,
    String usernameClaim,
    String displayNameClaim,
    String emailClaim,
    String groupsClaim,
    String caCertificates) {

  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,63}");
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_:./-]{1,64}");
  private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

  /** The usual claims: Keycloak's, and what most providers send. */
  public static ProviderSettings of(String name, String issuer, String clientId) {
    return new ProviderSettings(
        name,
        true,
        0,
        issuer,
        clientId,
        "openid profile email",
        "preferred_username",
        "name",
        "email",
        "groups",
        null);
  }

  public static String key(String name) {
    return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
  }

  public ProviderSettings validated() {
    String strippedName = strip(name);
    if (strippedName == null || !NAME.matcher(strippedName).matches()) {
      throw new IllegalArgumentException(
          "name must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or"
              + " digit");
    }
    String url = strip(issuer);
    checkIssuer(url);
    String client = strip(clientId);
    if (client == null || client.length() > 255) {
      throw new IllegalArgumentException("clientId is required (at most 255 characters)");
    }
    String wanted = strip(scopes) == null ? "openid profile email" : strip(scopes);
    if (wanted.length() > 500) {
      throw new IllegalArgumentException("scopes must be at most 500 characters");
    }
    StringBuilder scopeList = new StringBuilder("openid");
    for (String scope : wanted.split("\\s+")) {
      if (!SCOPE.matcher(scope).matches()) {
        throw new IllegalArgumentException("scopes holds an invalid scope: " + scope);
      }
      if (!scope.equals("openid")) {
        scopeList.append(' ').append(scope);
      }
    }
    String certificates = strip(caCertificates);
    if (certificates != null) {
      try {
        if (CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(certificates.getBytes(StandardCharsets.UTF_8)))
            .isEmpty()) {
          throw new IllegalArgumentException("caCertificates holds no PEM certificate");
        }
      } catch (CertificateException e) {
        throw new IllegalArgumentException(
            "caCertificates must be PEM certificates: " + e.getMessage());
      }
    }
    return new ProviderSettings(
        strippedName,
        enabled,
        Math.max(0, Math.min(position, 1000)),
        url,
        client,
        scopeList.toString(),
        claim("usernameClaim", usernameClaim, "preferred_username"),
        claim("displayNameClaim", displayNameClaim, "name"),
        claim("emailClaim", emailClaim, "email"),
        claim("groupsClaim", groupsClaim, "groups"),
        certificates);
  }

  private static void checkIssuer(String url) {
    if (url == null || url.length() > 500) {
      throw new IllegalArgumentException(
          "issuer is required, such as https://sso.example.com/realms/staff (at most 500"
              + " characters)");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("issuer is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("issuer must be an https:// (or http://) URL");
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("issuer must name a host and have no query or fragment");
    }
  }

  private static String claim(String what, String value, String otherwise) {
    String stripped = strip(value) == null ? otherwise : strip(value);
    if (!CLAIM.matcher(stripped).matches()) {
      throw new IllegalArgumentException(what + " is not a claim name: " + stripped);
    }
    return stripped;
  }

  private static String strip(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
