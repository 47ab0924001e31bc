package com.llmchat.accounts.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The RSA key pair that signs access tokens. Generated at first start into the data directory
 * (private key readable by the owner only) unless the operator provides both files.
 */
@Startup
@Singleton
public class TokenKeys {

  private static final Logger LOG = Logger.getLogger(TokenKeys.class.getName());
  private static final int KEY_BITS = 3072;

  @Inject
  @ConfigProperty(name = "llmchat.jwt.private-key-file")
  String privateKeyFile;

  @Inject
  @ConfigProperty(name = "llmchat.jwt.public-key-file")
  String publicKeyFile;

  private PrivateKey signingKey;

  /** The key that signs access tokens; read once. */
  @Lock(LockType.READ)
  public PrivateKey signingKey() {
    return signingKey;
  }

  @PostConstruct
  void init() {
    ensureKeyPair();
    signingKey = readPrivateKey(Path.of(privateKeyFile));
  }

  private static PrivateKey readPrivateKey(Path file) {
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the token signing key " + file, e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "The token signing key " + file + " is not a PKCS#8 PEM RSA private key", e);
    }
  }

  void ensureKeyPair() {
    Path privateKey = Path.of(privateKeyFile);
    Path publicKey = Path.of(publicKeyFile);
    boolean hasPrivate = Files.exists(privateKey);
    boolean hasPublic = Files.exists(publicKey);
    if (hasPrivate && hasPublic) {
      return;
    }
    if (hasPrivate || hasPublic) {
      throw new IllegalStateException(
          "Only one of the token key files exists ("
              + (hasPrivate ? privateKey : publicKey)
              + "); provide both or remove it to have a new pair generated");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_BITS);
      KeyPair pair = generator.generateKeyPair();
      write(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), "rw-------");
      write(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), "rw-r--r--");
      LOG.info(() -> "Generated the token signing key pair in " + privateKey.getParent());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the token signing keys", e);
    }
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void write(Path file, String content, String permissions) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.exists(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    // created with its final permissions, so the private key is never readable by others
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    Files.writeString(
        file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
