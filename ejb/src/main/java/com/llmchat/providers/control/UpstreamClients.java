package com.llmchat.providers.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/** One REST client per model server base URL, built once and shared (they are thread-safe). */
@ApplicationScoped
public class UpstreamClients {

  private static final Logger LOG = Logger.getLogger(UpstreamClients.class.getName());

  @Inject
  @ConfigProperty(name = "llmchat.llm.connect-timeout-ms", defaultValue = "5000")
  long connectTimeoutMs;

  @Inject
  @ConfigProperty(name = "llmchat.llm.read-timeout-ms", defaultValue = "120000")
  long readTimeoutMs;

  private final Map<String, ChatCompletionsClient> clients = new ConcurrentHashMap<>();

  public ChatCompletionsClient forBaseUrl(String baseUrl) {
    return clients.computeIfAbsent(baseUrl, this::build);
  }

  private ChatCompletionsClient build(String baseUrl) {
    return RestClientBuilder.newBuilder()
        .baseUri(URI.create(baseUrl))
        .connectTimeout(connectTimeoutMs, TimeUnit.MILLISECONDS)
        .readTimeout(readTimeoutMs, TimeUnit.MILLISECONDS)
        .followRedirects(false)
        .build(ChatCompletionsClient.class);
  }

  @PreDestroy
  void closeAll() {
    clients
        .values()
        .forEach(
            client -> {
              try {
                client.close();
              } catch (Exception e) {
                LOG.log(Level.FINE, "closing a model server client", e);
              }
            });
  }
}
