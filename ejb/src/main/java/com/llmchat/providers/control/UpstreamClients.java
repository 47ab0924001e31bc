package com.llmchat.providers.control;

import com.llmchat.providers.entity.Route;
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
  @ConfigProperty(name = "llmchat.llm.max-connections", defaultValue = "2000")
  int maxConnections;

  private record Key(String baseUrl, int connectTimeoutMs, int readTimeoutMs) {}

  private final Map<Key, ChatCompletionsClient> clients = new ConcurrentHashMap<>();

  /** The client for a route's base URL and timeouts (the read timeout bounds upstream silence). */
  public ChatCompletionsClient forRoute(Route route) {
    return clients.computeIfAbsent(
        new Key(route.baseUrl(), route.connectTimeoutMs(), route.readTimeoutMs()), this::build);
  }

  private ChatCompletionsClient build(Key key) {
    return RestClientBuilder.newBuilder()
        .baseUri(URI.create(key.baseUrl()))
        .connectTimeout(key.connectTimeoutMs(), TimeUnit.MILLISECONDS)
        .readTimeout(key.readTimeoutMs(), TimeUnit.MILLISECONDS)
        .followRedirects(false)
        .register(UpstreamHttpException.Mapper.class)
        // RESTEasy's default pool holds 50 connections: the 51st stream would wait for a free one
        .property("resteasy.connectionPoolSize", maxConnections)
        .property("resteasy.maxPooledPerRoute", maxConnections)
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
