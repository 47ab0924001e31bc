package com.llmchat.it;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP server (Debian's slapd, installed by .ci/run) on a free loopback port, with its
 * own configuration and data in a temporary directory: two databases, {@code dc=corp,dc=test} laid
 * out as OpenLDAP directories are and {@code dc=ad,dc=test} laid out like Active Directory (with
 * AD's attributes from ad.schema). Started once per test JVM, stopped when it ends.
 */
final class Slapd {

  static final String CORP = "dc=corp,dc=test";
  static final String AD = "dc=ad,dc=test";
  static final String CORP_SERVICE = "cn=llmchat,ou=services," + CORP;
  static final String AD_SERVICE = "cn=svc-llmchat,ou=Staff," + AD;

  private static Slapd running;

  final int port;

  /** ldaps:// on this port, with the test run's certificate for the name localhost only. */
  final int tlsPort;

  /** The PEM certificate of the TLS listener (self-signed: it is its own CA). */
  final String certificatePem;

  /** Every person's password in both directories. */
  final String password;

  /** The service accounts' password (bind DN + password the application is given). */
  final String servicePassword;

  private final String rootPassword;
  private final Process process;

  private Slapd(
      int port,
      int tlsPort,
      String certificatePem,
      String password,
      String servicePassword,
      String rootPassword,
      Process p) {
    this.port = port;
    this.tlsPort = tlsPort;
    this.certificatePem = certificatePem;
    this.password = password;
    this.servicePassword = servicePassword;
    this.rootPassword = rootPassword;
    this.process = p;
  }

  static synchronized Slapd start() throws Exception {
    if (running != null) {
      return running;
    }
    Path binary = Path.of(System.getProperty("slapd.binary", "/usr/sbin/slapd"));
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary + " is missing: install Debian's slapd (apt-get install slapd; .ci/run does)");
    }
    Path dir = Files.createTempDirectory("llmchat-slapd-");
    String password = Secrets.remember("Dir-" + UUID.randomUUID());
    String servicePassword = Secrets.remember("Svc-" + UUID.randomUUID());
    String rootPassword = Secrets.remember("Root-" + UUID.randomUUID());
    Files.writeString(dir.resolve("ad.schema"), resource("ad.schema"));
    Files.createDirectories(dir.resolve("corp"));
    Files.createDirectories(dir.resolve("ad"));
    String certificatePem = tls(dir);
    Path config = dir.resolve("slapd.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "include /etc/ldap/schema/core.schema",
            "include /etc/ldap/schema/cosine.schema",
            "include /etc/ldap/schema/inetorgperson.schema",
            "include /etc/ldap/schema/nis.schema",
            "include " + dir.resolve("ad.schema"),
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            "pidfile " + dir.resolve("slapd.pid"),
            "argsfile " + dir.resolve("slapd.args"),
            "TLSCertificateFile " + dir.resolve("server.pem"),
            "TLSCertificateKeyFile " + dir.resolve("server.key"),
            // people read entries, only the server compares passwords
            "access to attrs=userPassword by anonymous auth by * none",
            "access to * by * read",
            database(CORP, dir.resolve("corp"), rootPassword),
            database(AD, dir.resolve("ad"), rootPassword),
            ""));
    for (String[] data : new String[][] {{CORP, "corp.ldif"}, {AD, "ad.ldif"}}) {
      Path ldif = dir.resolve(data[1]);
      Files.writeString(
          ldif,
          resource(data[1])
              .replace("@SERVICE_PASSWORD@", servicePassword)
              .replace("@PASSWORD@", password));
      Path slapadd = binary.resolveSibling("slapadd");
      run(
          List.of(
              Files.isExecutable(slapadd) ? slapadd.toString() : binary.toString(),
              "-f",
              config.toString(),
              "-b",
              data[0],
              "-l",
              ldif.toString()),
          dir.resolve("slapadd.log"));
    }
    int port = freePort();
    int tlsPort = freePort();
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "-f",
                config.toString(),
                "-h",
                "ldap://127.0.0.1:" + port + "/ ldaps://127.0.0.1:" + tlsPort + "/",
                "-d",
                "0")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("slapd.log").toFile())
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    Slapd slapd =
        new Slapd(port, tlsPort, certificatePem, password, servicePassword, rootPassword, process);
    slapd.awaitReady(dir);
    running = slapd;
    return slapd;
  }

  /**
   * A key and a self-signed certificate for the name localhost only (RSA: slapd's GnuTLS reads the
   * JDK's PKCS#8 RSA keys, not its minimal EC ones), made with keytool and written as the PEM files
   * slapd reads; returns the certificate's PEM, which the tests give the server as its CA.
   */
  private static String tls(Path dir) throws Exception {
    String secret = UUID.randomUUID().toString();
    Path store = dir.resolve("ldap.p12");
    run(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair",
            "-alias",
            "ldap",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-dname",
            "CN=localhost",
            "-ext",
            "san=dns:localhost",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            store.toString(),
            "-storepass",
            secret),
        dir.resolve("keytool.log"));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, secret.toCharArray());
    }
    Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    String certificate =
        "-----BEGIN CERTIFICATE-----\n"
            + pem.encodeToString(keys.getCertificate("ldap").getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    Files.writeString(dir.resolve("server.pem"), certificate);
    Path key = dir.resolve("server.key");
    Files.writeString(
        key,
        "-----BEGIN PRIVATE KEY-----\n"
            + pem.encodeToString(
                ((PrivateKey) keys.getKey("ldap", secret.toCharArray())).getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return certificate;
  }

  private static String database(String suffix, Path directory, String rootPassword) {
    return String.join(
        "\n",
        "database mdb",
        "maxsize 16777216",
        "suffix \"" + suffix + "\"",
        "rootdn \"cn=root," + suffix + "\"",
        "rootpw " + rootPassword,
        "directory " + directory,
        "index objectClass eq",
        "index uid,cn,sAMAccountName,userPrincipalName eq",
        "index member eq");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Slapd.class.getResourceAsStream("/ldap/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void run(List<String> command, Path log) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed: " + Files.readString(log));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady(Path dir) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (true) {
      try (LDAPConnection connection = new LDAPConnection("127.0.0.1", port)) {
        connection.getRootDSE();
        return;
      } catch (LDAPException e) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "slapd did not start: " + Files.readString(dir.resolve("slapd.log")), e);
        }
        Thread.sleep(100);
      }
    }
  }

  String url() {
    return "ldap://127.0.0.1:" + port;
  }

  /** ldaps:// by the name on the certificate, or by {@code host}. */
  String tlsUrl(String host) {
    return "ldaps://" + host + ":" + tlsPort;
  }

  /** Changes an entry as the directory's administrators would (the root DN of its suffix). */
  void modify(String suffix, String dn, Modification... modifications) throws LDAPException {
    try (LDAPConnection connection =
        new LDAPConnection("127.0.0.1", port, "cn=root," + suffix, rootPassword)) {
      connection.modify(dn, modifications);
    }
  }

  void removeMember(String suffix, String groupDn, String memberDn) throws LDAPException {
    modify(suffix, groupDn, new Modification(ModificationType.DELETE, "member", memberDn));
  }

  void addMember(String suffix, String groupDn, String memberDn) throws LDAPException {
    modify(suffix, groupDn, new Modification(ModificationType.ADD, "member", memberDn));
  }
}
