package com.llmchat.rest;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One JSON-B instance (they are thread-safe) for every body read or written. Without it RESTEasy
 * builds one per body: a ServiceLoader lookup (JBoss Modules serves it under a lock per jar, so
 * concurrent requests queue) and a class model read again from the annotations — about a tenth of
 * the server's CPU per chat message when it was measured.
 */
@Provider
@ApplicationScoped
public class JsonBinding implements ContextResolver<Jsonb> {

  private static final Logger LOG = Logger.getLogger(JsonBinding.class.getName());

  private Jsonb jsonb;

  @PostConstruct
  void create() {
    jsonb = JsonbBuilder.create();
  }

  @Override
  public Jsonb getContext(Class<?> type) {
    return jsonb;
  }

  @PreDestroy
  void close() {
    try {
      jsonb.close();
    } catch (Exception e) {
      LOG.log(Level.FINE, "closing JSON-B", e);
    }
  }
}
