package com.llmchat.identity.control;

import com.llmchat.identity.entity.DirectorySettings;
import com.llmchat.identity.entity.DirectorySettings.GroupMode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.SSLUtil;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.SocketFactory;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One login against one directory, on a connection of its own: bind as the service account (or
 * anonymously), find the one entry the login name names, refuse it when the directory says it is
 * disabled, bind as it with the password, bind back, read its groups. Every step has the timeout; a
 * directory that cannot be reached or refuses the service account is "unavailable", never "wrong
 * password".
 */
public final class LdapClient {

  /** A group a person is in: its DN and its name. */
  public record DirectoryGroup(String dn, String name) {}

  /** What the directory said of a login. */
  public sealed interface Outcome {

    /** The password is right: who this is there, and their groups (nested ones included). */
    record Authenticated(
        String dn, String username, String displayName, String email, List<DirectoryGroup> groups)
        implements Outcome {

      /** The keys by which mappings find these groups: normalized DNs and lower-case names. */
      public Set<String> groupKeys() {
        Set<String> keys = new TreeSet<>();
        for (DirectoryGroup group : groups) {
          keys.add(LdapNames.groupKey(group.dn()));
          if (group.name() != null) {
            keys.add(LdapNames.groupKey(group.name()));
          }
        }
        return keys;
      }
    }

    /** No entry has that login name (or the name could not be one). */
    record NotFound() implements Outcome {}

    /** The entry exists; the password is not its. */
    record WrongPassword(String dn) implements Outcome {}

    /** The entry exists and the directory refuses it: disabled, locked, expired, ambiguous. */
    record Refused(String dn, String why) implements Outcome {}

    /** The directory could not answer: down, unreachable, TLS, the service account refused. */
    record Unavailable(String why) implements Outcome {}
  }

  /** What a connection test found. */
  public record Probe(boolean ok, long millis, String detail) {}

  private static final int MAX_GROUPS = 1000;

  private final int timeoutMillis;

  public LdapClient(int timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  public Outcome authenticate(
      DirectorySettings settings, String bindPassword, String loginName, String password) {
    if (!LdapNames.isAcceptableLoginName(loginName)) {
      return new Outcome.NotFound();
    }
    try (LDAPConnection connection = connect(settings)) {
      bindService(connection, settings, bindPassword);
      SearchResultEntry entry;
      try {
        SearchResult found = connection.search(userSearch(settings, loginName));
        if (found.getEntryCount() == 0) {
          return new Outcome.NotFound();
        }
        entry = found.getSearchEntries().get(0);
      } catch (LDAPSearchException e) {
        if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
          return new Outcome.Refused(null, "more than one directory entry has that login name");
        }
        if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
          return new Outcome.Unavailable(
              "the user base " + settings.userBase() + " does not exist in the directory");
        }
        throw e;
      }
      String dn = entry.getDN();
      if (password == null || password.isEmpty()) {
        // a simple bind without a password is an anonymous bind: it would "succeed"
        return new Outcome.WrongPassword(dn);
      }
      if (settings.disabledFilter() != null && matches(connection, dn, settings.disabledFilter())) {
        return new Outcome.Refused(dn, "the account is disabled in the directory");
      }
      try {
        connection.bind(new SimpleBindRequest(dn, password));
      } catch (LDAPException e) {
        if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
          return activeDirectoryRefusal(dn, e.getDiagnosticMessage())
              .orElse(new Outcome.WrongPassword(dn));
        }
        throw e;
      }
      bindService(connection, settings, bindPassword);
      String username = first(entry, settings.usernameAttribute());
      if (username == null) {
        return new Outcome.Refused(
            dn, "the entry has no " + settings.usernameAttribute() + " attribute");
      }
      return new Outcome.Authenticated(
          dn,
          username,
          first(entry, settings.displayNameAttribute()),
          first(entry, settings.emailAttribute()),
          groups(connection, settings, entry, username));
    } catch (LDAPException e) {
      return new Outcome.Unavailable(describe(e));
    } catch (GeneralSecurityException e) {
      return new Outcome.Unavailable("TLS could not be set up: " + e.getMessage());
    }
  }

  /** Connects, binds as the service account and reads the user base's entry. */
  public Probe probe(DirectorySettings settings, String bindPassword) {
    long started = System.nanoTime();
    try (LDAPConnection connection = connect(settings)) {
      bindService(connection, settings, bindPassword);
      SearchResultEntry base = connection.getEntry(settings.userBase(), "1.1");
      long millis = (System.nanoTime() - started) / 1_000_000;
      if (base == null) {
        return new Probe(
            false, millis, "connected, but the user base " + settings.userBase() + " is not there");
      }
      return new Probe(
          true,
          millis,
          "connected to "
              + connection.getConnectedAddress()
              + ":"
              + connection.getConnectedPort()
              + (settings.startTls() || settings.url().toLowerCase(Locale.ROOT).startsWith("ldaps")
                  ? " over TLS"
                  : "")
              + (settings.bindDn() == null ? ", anonymously" : ", bound as " + settings.bindDn())
              + "; the user base exists");
    } catch (LDAPException e) {
      return new Probe(false, (System.nanoTime() - started) / 1_000_000, describe(e));
    } catch (GeneralSecurityException e) {
      return new Probe(
          false,
          (System.nanoTime() - started) / 1_000_000,
          "TLS could not be set up: " + e.getMessage());
    }
  }

  private LDAPConnection connect(DirectorySettings settings)
      throws LDAPException, GeneralSecurityException {
    LDAPURL url = new LDAPURL(settings.url());
    boolean ldaps = "ldaps".equalsIgnoreCase(url.getScheme());
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis(timeoutMillis);
    options.setResponseTimeoutMillis(timeoutMillis);
    options.setFollowReferrals(false);
    options.setAutoReconnect(false);
    options.setUseSynchronousMode(true);
    SSLUtil tls =
        ldaps || settings.startTls()
            ? new SSLUtil(PemTrust.trustManager(settings.caCertificates()))
            : null;
    SocketFactory sockets = ldaps ? tls.createSSLSocketFactory() : SocketFactory.getDefault();
    LDAPConnection connection = new LDAPConnection(sockets, options, url.getHost(), url.getPort());
    if (settings.startTls()) {
      try {
        ExtendedResult result =
            connection.processExtendedOperation(
                new StartTLSExtendedRequest(tls.createSSLSocketFactory()));
        if (result.getResultCode() != ResultCode.SUCCESS) {
          throw new LDAPException(
              result.getResultCode(), "StartTLS refused: " + result.getDiagnosticMessage());
        }
      } catch (LDAPException e) {
        connection.close();
        throw e;
      }
    }
    if (tls != null) {
      checkHostName(connection, url.getHost());
    }
    return connection;
  }

  /** The certificate must name the URL's host; else the connection is closed and refused. */
  private static void checkHostName(LDAPConnection connection, String host) throws LDAPException {
    SSLSession session = connection.getSSLSession();
    try {
      Certificate[] chain = session == null ? null : session.getPeerCertificates();
      if (chain != null
          && chain.length > 0
          && chain[0] instanceof X509Certificate certificate
          && CertificateNames.names(certificate, host)) {
        return;
      }
    } catch (SSLPeerUnverifiedException e) {
      // no certificate: refused below
    }
    connection.close();
    throw new LDAPException(
        ResultCode.CONNECT_ERROR,
        "the directory's TLS certificate is not for "
            + host
            + ": connect by a name the certificate carries");
  }

  private static void bindService(
      LDAPConnection connection, DirectorySettings settings, String bindPassword)
      throws LDAPException {
    BindRequest bind =
        settings.bindDn() == null
            ? new SimpleBindRequest()
            : new SimpleBindRequest(settings.bindDn(), bindPassword == null ? "" : bindPassword);
    if (settings.bindDn() != null && (bindPassword == null || bindPassword.isEmpty())) {
      throw new LDAPException(
          ResultCode.INVALID_CREDENTIALS,
          "no bind password is stored for " + settings.bindDn() + "; set it again");
    }
    try {
      connection.bind(bind);
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
        throw new LDAPException(
            e.getResultCode(),
            "the directory refused the service account "
                + (settings.bindDn() == null ? "(anonymous)" : settings.bindDn())
                + ": check the bind DN and password");
      }
      throw e;
    }
  }

  private static SearchRequest userSearch(DirectorySettings settings, String loginName)
      throws LDAPException {
    List<String> attributes = new ArrayList<>();
    attributes.add(settings.usernameAttribute());
    attributes.add(settings.displayNameAttribute());
    attributes.add(settings.emailAttribute());
    if (settings.groupMode() == GroupMode.MEMBER_OF) {
      attributes.add(settings.groupAttribute());
    }
    SearchRequest request =
        new SearchRequest(
            settings.userBase(),
            SearchScope.SUB,
            LdapNames.filter(settings.userFilter(), loginName, null),
            attributes.toArray(String[]::new));
    request.setSizeLimit(1);
    request.setDerefPolicy(DereferencePolicy.NEVER);
    return request;
  }

  private static boolean matches(LDAPConnection connection, String dn, String filter)
      throws LDAPException {
    SearchRequest request =
        new SearchRequest(dn, SearchScope.BASE, LdapNames.filter(filter, dn, null), "1.1");
    return connection.search(request).getEntryCount() > 0;
  }

  /**
   * AD answers a bind of a disabled, locked or expired account with "invalid credentials" and a
   * code in the diagnostic ("data 533"); those are refusals, not wrong passwords.
   */
  static Optional<Outcome> activeDirectoryRefusal(String dn, String diagnostic) {
    if (diagnostic == null) {
      return Optional.empty();
    }
    String text = diagnostic.toLowerCase(Locale.ROOT);
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put("data 533", "the account is disabled in the directory");
    codes.put("data 775", "the account is locked in the directory");
    codes.put("data 532", "the password has expired in the directory");
    codes.put("data 701", "the account has expired in the directory");
    codes.put("data 773", "the password must be changed in the directory first");
    codes.put("data 530", "logins are not permitted at this time by the directory");
    for (Map.Entry<String, String> code : codes.entrySet()) {
      if (text.contains(code.getKey())) {
        return Optional.of(new Outcome.Refused(dn, code.getValue()));
      }
    }
    return Optional.empty();
  }

  private static String first(SearchResultEntry entry, String attribute) {
    String value = entry.getAttributeValue(attribute);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static List<DirectoryGroup> groups(
      LDAPConnection connection,
      DirectorySettings settings,
      SearchResultEntry user,
      String username)
      throws LDAPException {
    Map<String, DirectoryGroup> found = new LinkedHashMap<>();
    Deque<String> toExpand = new ArrayDeque<>();
    if (settings.groupMode() == GroupMode.MEMBER_OF) {
      Attribute memberOf = user.getAttribute(settings.groupAttribute());
      if (memberOf != null) {
        for (String dn : memberOf.getValues()) {
          add(found, toExpand, new DirectoryGroup(dn, LdapNames.leafName(dn).orElse(null)));
        }
      }
    } else {
      for (DirectoryGroup group : searchGroups(connection, settings, user.getDN(), username)) {
        add(found, toExpand, group);
      }
    }
    if (settings.nestedGroups()) {
      // each group is expanded once (found holds it): cycles end, and MAX_GROUPS bounds it all
      while (!toExpand.isEmpty()) {
        String dn = toExpand.poll();
        List<DirectoryGroup> parents = new ArrayList<>();
        if (settings.groupMode() == GroupMode.MEMBER_OF) {
          SearchResultEntry group = connection.getEntry(dn, settings.groupAttribute());
          if (group != null && group.getAttribute(settings.groupAttribute()) != null) {
            for (String parent : group.getAttribute(settings.groupAttribute()).getValues()) {
              parents.add(new DirectoryGroup(parent, LdapNames.leafName(parent).orElse(null)));
            }
          }
        } else {
          parents.addAll(searchGroups(connection, settings, dn, LdapNames.leafName(dn).orElse(dn)));
        }
        for (DirectoryGroup parent : parents) {
          if (found.size() >= MAX_GROUPS) {
            break;
          }
          add(found, toExpand, parent);
        }
      }
    }
    return List.copyOf(found.values());
  }

  private static void add(
      Map<String, DirectoryGroup> found, Deque<String> toExpand, DirectoryGroup group) {
    String key = LdapNames.groupKey(group.dn());
    if (found.size() < MAX_GROUPS && found.putIfAbsent(key, group) == null) {
      toExpand.add(group.dn());
    }
  }

  private static List<DirectoryGroup> searchGroups(
      LDAPConnection connection, DirectorySettings settings, String memberDn, String memberName)
      throws LDAPException {
    String base = settings.groupBase() == null ? settings.userBase() : settings.groupBase();
    SearchRequest request =
        new SearchRequest(
            base,
            SearchScope.SUB,
            LdapNames.filter(settings.groupFilter(), memberDn, memberName),
            settings.groupNameAttribute());
    request.setSizeLimit(MAX_GROUPS);
    request.setDerefPolicy(DereferencePolicy.NEVER);
    SearchResult result;
    try {
      result = connection.search(request);
    } catch (LDAPSearchException e) {
      if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
        throw e;
      }
      result = e.getSearchResult();
    }
    List<DirectoryGroup> groups = new ArrayList<>();
    for (SearchResultEntry entry : result.getSearchEntries()) {
      String name = entry.getAttributeValue(settings.groupNameAttribute());
      groups.add(
          new DirectoryGroup(
              entry.getDN(), name != null ? name : LdapNames.leafName(entry.getDN()).orElse(null)));
    }
    return groups;
  }

  private static String describe(LDAPException e) {
    ResultCode code = e.getResultCode();
    if (code == ResultCode.CONNECT_ERROR || code == ResultCode.SERVER_DOWN) {
      return "the directory cannot be reached: " + e.getMessage();
    }
    if (code == ResultCode.TIMEOUT) {
      return "the directory did not answer in time";
    }
    String message = e.getDiagnosticMessage() != null ? e.getDiagnosticMessage() : e.getMessage();
    return code.getName() + ": " + message;
  }
}
