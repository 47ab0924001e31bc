package com.llmchat.providers.control;

import com.llmchat.providers.entity.Provider;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seals and opens providers' API keys with the master key: LLMCHAT_MASTER_KEY (base64, with
 * LLMCHAT_MASTER_KEY_PREVIOUS for the keys it replaced) or the key file, generated at first start.
 * A key rotated while the server runs is picked up when a credential names it.
 */
@ApplicationScoped
public class ProviderCredentials {

  private static final Logger LOG = Logger.getLogger(ProviderCredentials.class.getName());

  @Inject
  @ConfigProperty(name = "llmchat.master-key")
  Optional<String> configuredKey;

  @Inject
  @ConfigProperty(name = "llmchat.master-key-previous")
  Optional<List<String>> previousKeys;

  @Inject
  @ConfigProperty(name = "llmchat.master-key-file")
  String keyFile;

  private volatile CredentialCipher cipher;
  private volatile FileTime keyFileChanged;

  @PostConstruct
  void loadKeys() {
    cipher = load();
  }

  /** The cipher, read again when the key file changed (bin/llmchat admin rotate-master-key). */
  private CredentialCipher cipher() {
    if (keyFileChanged != null && !keyFileChanged.equals(modified(Path.of(keyFile)))) {
      cipher = load();
    }
    return cipher;
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  private CredentialCipher load() {
    List<byte[]> keys = new ArrayList<>();
    if (configuredKey.filter(k -> !k.isBlank()).isPresent()) {
      keys.add(MasterKeyFile.decode(configuredKey.get(), "LLMCHAT_MASTER_KEY"));
      previousKeys.orElse(List.of()).stream()
          .filter(k -> !k.isBlank())
          .forEach(k -> keys.add(MasterKeyFile.decode(k, "LLMCHAT_MASTER_KEY_PREVIOUS")));
    } else {
      keys.addAll(new MasterKeyFile(Path.of(keyFile)).readOrCreate());
      keyFileChanged = modified(Path.of(keyFile));
    }
    CredentialCipher loaded =
        new CredentialCipher(keys.get(0), keys.subList(1, keys.size()).toArray(byte[][]::new));
    LOG.fine(() -> "Provider keys are sealed with master key " + loaded.currentKeyId());
    return loaded;
  }

  public String currentKeyId() {
    return cipher().currentKeyId();
  }

  /** Seals a new key for the provider's current base URL. */
  public void store(Provider provider, String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      provider.storeKey(null, null);
    } else {
      String key = apiKey.strip();
      provider.storeKey(
          cipher().seal(key, provider.baseUrl()), CredentialCipher.lastFour(key).substring(1));
    }
  }

  /** The Authorization header for the provider, or null when it has no key. */
  public String authorization(Provider provider) {
    String sealed = provider.apiKeySealed();
    if (sealed == null) {
      return null;
    }
    return "Bearer " + open(sealed, provider.baseUrl());
  }

  /** Opens a secret sealed for that context (a provider's base URL, a directory's bind). */
  public String open(String sealed, String context) {
    return cipher().open(sealed, context);
  }

  /** Seals another secret with the master key, bound to its context (a directory's bind). */
  public String seal(String secret, String context) {
    return cipher().seal(secret, context);
  }

  /** Whether a secret was sealed with an older master key. */
  public boolean isStale(String sealed) {
    return cipher().isStale(sealed);
  }

  /** Re-seals a key sealed with an older master key; true when it changed. */
  public boolean reseal(Provider provider) {
    String sealed = provider.apiKeySealed();
    if (sealed == null || !cipher().isStale(sealed)) {
      return false;
    }
    String hint = provider.apiKeyHint();
    provider.storeKey(cipher().seal(open(sealed, provider.baseUrl()), provider.baseUrl()), hint);
    return true;
  }
}
