package com.llmchat.providers.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificates of model servers are trusted: the JDK's authorities (or those of {@code
 * javax.net.ssl.trustStore}), and those of a PEM file the operator names, such as the company's own
 * CA inside an intranet.
 */
final class ModelServerTrust {

  private ModelServerTrust() {}

  /** The trust managers; null (the JDK's defaults) without a file. */
  static TrustManager[] managers(Optional<Path> caFile) {
    if (caFile.isEmpty()) {
      return null;
    }
    Path file = caFile.get();
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate authority : jdkAuthorities()) {
        anchors.setCertificateEntry("jdk-" + n++, authority);
      }
      Collection<? extends Certificate> added;
      try (InputStream in = Files.newInputStream(file)) {
        added = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (added.isEmpty()) {
        throw new IllegalStateException(
            "LLMCHAT_LLM_CA_FILE " + file + " holds no PEM certificate");
      }
      for (Certificate certificate : added) {
        anchors.setCertificateEntry("file-" + n++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      return factory.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "LLMCHAT_LLM_CA_FILE " + file + " cannot be read as PEM certificates: " + e.getMessage(),
          e);
    }
  }

  private static X509Certificate[] jdkAuthorities() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }
}
