package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real TLS server on 127.0.0.1 whose certificate names only {@code model.test}: a connection to
 * the address with the pinned context must ask for that name and accept that certificate, and
 * refuse it when pinned to any other name.
 */
class PinnedTlsTest {

  @TempDir static Path dir;
  private static TrustManager[] trust;
  private static SSLServerSocket server;
  private static final List<String> requestedNames =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void serveTls() throws Exception {
    Path store = dir.resolve("server.p12");
    String password = UUID.randomUUID().toString();
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=model.test",
        "-ext",
        "san=dns:model.test",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        password);
    // the certificate alone, as an operator hands it over (LLMCHAT_LLM_CA_FILE)
    Path pem = dir.resolve("model-server.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        store.toString(),
        "-storepass",
        password,
        "-file",
        pem.toString());
    trust = ModelServerTrust.managers(Optional.of(pem));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store.toFile())) {
      keys.load(in, password.toCharArray());
    }
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password.toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keyManagers.getKeyManagers(), null, null);

    server =
        (SSLServerSocket)
            serverTls
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (SSLSocket client = (SSLSocket) server.accept()) {
                  client.startHandshake();
                  ((ExtendedSSLSession) client.getSession())
                      .getRequestedServerNames()
                      .forEach(name -> requestedNames.add(((SNIHostName) name).getAsciiName()));
                  client.getOutputStream().write('!');
                } catch (IOException e) {
                  // a refused handshake: the next one
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(keytool.getInputStream().readAllBytes());
    assertEquals(0, keytool.waitFor(), said);
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
  }

  /** A context of its own each time, as each model server client has: no session to resume. */
  private static SSLContext trusting() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust, null);
    return context;
  }

  private static int handshake(String pinnedName) throws Exception {
    return CompletableFuture.supplyAsync(
            () -> {
              try (var socket =
                  (SSLSocket)
                      PinnedTls.context(trusting(), pinnedName)
                          .getSocketFactory()
                          .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.startHandshake();
                return socket.getInputStream().read();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void connectionToTheAddressSpeaksToTheNameAndAcceptsItsCertificate() throws Exception {
    assertEquals('!', handshake("model.test"));
    assertEquals("model.test", requestedNames.get(requestedNames.size() - 1));
  }

  @Test
  void certificateOfAnotherNameIsRefused() {
    var failure =
        assertThrows(
            java.util.concurrent.ExecutionException.class, () -> handshake("other.example"));
    Throwable cause = failure.getCause().getCause();
    assertEquals(SSLHandshakeException.class, cause.getClass(), String.valueOf(cause));
  }

  @Test
  void theJdkAuthoritiesAloneDoNotTrustTheServer() throws Exception {
    SSLContext jdkOnly = SSLContext.getInstance("TLS");
    jdkOnly.init(null, null, null);
    try (var socket =
        (SSLSocket)
            PinnedTls.context(jdkOnly, "model.test")
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      assertThrows(SSLHandshakeException.class, socket::startHandshake);
    }
  }

  @Test
  void aCaFileWithoutCertificatesIsRefused() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    var refused =
        assertThrows(
            IllegalStateException.class, () -> ModelServerTrust.managers(Optional.of(empty)));
    assertTrue(refused.getMessage().contains("LLMCHAT_LLM_CA_FILE"), refused.getMessage());
    assertNull(ModelServerTrust.managers(Optional.empty()));
  }

  @Test
  void layeredSocketOverAPlainConnectionIsPinnedToo() throws Exception {
    // how the model server client connects: a plain socket to the address, TLS on top
    try (var plain = new java.net.Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        var tls =
            (SSLSocket)
                PinnedTls.context(trusting(), "model.test")
                    .getSocketFactory()
                    .createSocket(plain, "127.0.0.1", server.getLocalPort(), true)) {
      tls.startHandshake();
      assertEquals('!', tls.getInputStream().read());
    }
    try (var plain = new java.net.Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        var tls =
            (SSLSocket)
                PinnedTls.context(trusting(), "other.example")
                    .getSocketFactory()
                    .createSocket(plain, "127.0.0.1", server.getLocalPort(), true)) {
      assertThrows(SSLHandshakeException.class, tls::startHandshake);
    }
  }
}
