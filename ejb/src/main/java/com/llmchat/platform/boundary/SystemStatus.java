package com.llmchat.platform.boundary;

import com.llmchat.platform.control.StreamExecutor;
import com.llmchat.settings.control.Installation;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

@Stateless
public class SystemStatus {

  public record Report(
      String instanceId,
      String installedAt,
      String persistenceProvider,
      String database,
      String javaVersion,
      boolean virtualThreads) {}

  @PersistenceContext EntityManager em;
  @Inject Installation installation;
  @Inject StreamExecutor streams;

  public Report report() {
    String database = (String) em.createNativeQuery("select version()").getSingleResult();
    return new Report(
        installation.instanceId(),
        installation.installedAt(),
        em.getDelegate().getClass().getName(),
        database,
        Runtime.version().toString(),
        streams.usesVirtualThreads());
  }
}
