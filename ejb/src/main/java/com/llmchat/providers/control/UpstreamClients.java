package com.llmchat.providers.control;

import com.llmchat.platform.control.Meters;
import com.llmchat.providers.entity.Route;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * The REST clients of the model servers: one per provider, base URL and timeouts, built once and
 * shared (they are thread-safe and pool their connections). At most {@code llmchat.llm.max-clients}
 * are kept — users add providers of their own — the least recently used one goes first; a
 * provider's clients go when it is changed or deleted. A client is closed only once the last call
 * holding it has ended, so a stream never loses its connection to an eviction. A client connects to
 * one address, the one the SSRF guard checked, and never looks the name up itself.
 */
@ApplicationScoped
public class UpstreamClients {

  private static final Logger LOG = Logger.getLogger(UpstreamClients.class.getName());

  @Inject
  @ConfigProperty(name = "llmchat.llm.max-connections", defaultValue = "2000")
  int maxConnections;

  @Inject
  @ConfigProperty(name = "llmchat.llm.max-clients", defaultValue = "64")
  int maxClients;

  /**
   * A PEM file of certificate authorities that model servers' certificates may chain to, besides
   * the JDK's: an intranet's own CA, or a self-signed server's certificate.
   */
  @Inject
  @ConfigProperty(name = "llmchat.llm.ca-file")
  Optional<String> caFile;

  @Inject Meters meters;

  // the trust anchors of model servers' certificates, read at start
  private TrustManager[] trust;

  private record Key(
      long providerId, String baseUrl, String address, int connectTimeoutMs, int readTimeoutMs) {}

  /** A client and the calls that hold it; guarded by {@link #lock}. */
  private static final class Entry {
    final ChatCompletionsClient client;
    int holders;
    boolean retired;

    Entry(ChatCompletionsClient client) {
      this.client = client;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  // access order: the eldest is the least recently used
  private final LinkedHashMap<Key, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);

  // the number kept, for the gauge
  private final AtomicInteger kept = new AtomicInteger();

  @PostConstruct
  void start() {
    meters.gauge("llmchat.upstream.clients", kept);
    trust = ModelServerTrust.managers(caFile.filter(file -> !file.isBlank()).map(Path::of));
  }

  /** Reads the trust anchors at deployment: an unreadable CA file stops the start, not a chat. */
  void validateAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    size();
  }

  /** A client held for one call, until closed. */
  public final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    public ChatCompletionsClient client() {
      return entry.client;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      release(entry);
    }
  }

  /**
   * The client for a route's provider, base URL and timeouts (the read timeout bounds silence) that
   * connects to {@code address}, the one the SSRF guard checked.
   */
  public Lease lease(Route route, InetAddress address) {
    Key key =
        new Key(
            route.providerId(),
            route.baseUrl(),
            address.getHostAddress(),
            route.connectTimeoutMs(),
            route.readTimeoutMs());
    Lease lease = existing(key);
    if (lease != null) {
      return lease;
    }
    // built without the lock (it takes milliseconds; every stream's start takes the lock)
    Entry built = new Entry(build(key));
    List<Entry> toClose = new ArrayList<>();
    Entry entry;
    lock.lock();
    try {
      entry = clients.get(key);
      if (entry == null) {
        entry = built;
        clients.put(key, entry);
        Iterator<Entry> eldest = clients.values().iterator();
        while (clients.size() > Math.max(1, maxClients) && eldest.hasNext()) {
          Entry old = eldest.next();
          if (old != entry) {
            eldest.remove();
            retire(old, toClose);
          }
        }
      } else {
        // another call built one meanwhile: use it, close this one
        toClose.add(built);
      }
      entry.holders++;
      kept.set(clients.size());
    } finally {
      lock.unlock();
    }
    closeAll(toClose);
    return new Lease(entry);
  }

  private Lease existing(Key key) {
    lock.lock();
    try {
      Entry entry = clients.get(key);
      if (entry == null) {
        return null;
      }
      entry.holders++;
      return new Lease(entry);
    } finally {
      lock.unlock();
    }
  }

  /** Drops the clients of a provider once the change that concerns it has committed (or not). */
  void providerChanged(
      @Observes(during = TransactionPhase.AFTER_COMPLETION) ProviderChanged changed) {
    List<Entry> dropped = new ArrayList<>();
    lock.lock();
    try {
      Iterator<Map.Entry<Key, Entry>> entries = clients.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<Key, Entry> entry = entries.next();
        if (entry.getKey().providerId() == changed.providerId()) {
          entries.remove();
          retire(entry.getValue(), dropped);
        }
      }
      kept.set(clients.size());
    } finally {
      lock.unlock();
    }
    closeAll(dropped);
  }

  /** How many clients are kept. */
  public int size() {
    lock.lock();
    try {
      return clients.size();
    } finally {
      lock.unlock();
    }
  }

  private void release(Entry entry) {
    boolean close;
    lock.lock();
    try {
      entry.holders--;
      close = entry.retired && entry.holders == 0;
    } finally {
      lock.unlock();
    }
    if (close) {
      closeAll(List.of(entry));
    }
  }

  /** Marks a client removed from the map; closes it now if no call holds it. Under the lock. */
  private static void retire(Entry entry, List<Entry> toClose) {
    entry.retired = true;
    if (entry.holders == 0) {
      toClose.add(entry);
    }
  }

  private ChatCompletionsClient build(Key key) {
    URI named = URI.create(key.baseUrl());
    RestClientBuilder builder =
        RestClientBuilder.newBuilder().baseUri(pinned(named, key.address()));
    boolean tls = "https".equalsIgnoreCase(named.getScheme());
    if (isLiteral(named.getHost())) {
      if (tls) {
        builder.sslContext(ownTls());
      }
    } else {
      // the name goes where a connection by name would carry it: the Host header and TLS
      builder.header("Host", hostHeader(named));
      if (tls) {
        builder
            .sslContext(PinnedTls.context(ownTls(), named.getHost()))
            // the certificate was checked against the name during the handshake (PinnedTls); the
            // client's own check would compare it with the address it was given
            .hostnameVerifier((connectedTo, session) -> connectedTo.equals(key.address()));
      }
    }
    return builder
        .connectTimeout(key.connectTimeoutMs(), TimeUnit.MILLISECONDS)
        .readTimeout(key.readTimeoutMs(), TimeUnit.MILLISECONDS)
        .followRedirects(false)
        .register(UpstreamHttpException.Mapper.class)
        // RESTEasy's default pool holds 50 connections: the 51st stream would wait for a free one
        .property("resteasy.connectionPoolSize", maxConnections)
        .property("resteasy.maxPooledPerRoute", maxConnections)
        .build(ChatCompletionsClient.class);
  }

  /** The base URL with its host replaced by the address (the rest unchanged). */
  static URI pinned(URI named, String address) {
    String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    return URI.create(
        named.getScheme()
            + "://"
            + host
            + (named.getPort() < 0 ? "" : ":" + named.getPort())
            + (named.getRawPath() == null ? "" : named.getRawPath())
            + (named.getRawQuery() == null ? "" : "?" + named.getRawQuery()));
  }

  /** What the Host header of a request to the URL says: the name, and the port unless default. */
  static String hostHeader(URI named) {
    return named.getPort() < 0 ? named.getHost() : named.getHost() + ":" + named.getPort();
  }

  private static boolean isLiteral(String host) {
    return host.startsWith("[") || host.matches("[0-9.]+");
  }

  /**
   * The model servers' trust anchors and a session cache of the client's own: a session is resumed
   * only with the name it was verified for.
   */
  private SSLContext ownTls() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust, null);
      return context;
    } catch (NoSuchAlgorithmException | KeyManagementException e) {
      throw new IllegalStateException("no TLS context", e);
    }
  }

  private static void closeAll(List<Entry> entries) {
    for (Entry entry : entries) {
      try {
        entry.client.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing a model server client", e);
      }
    }
  }

  @PreDestroy
  void closeAll() {
    lock.lock();
    try {
      closeAll(new ArrayList<>(clients.values()));
      clients.clear();
      kept.set(0);
    } finally {
      lock.unlock();
    }
  }
}
