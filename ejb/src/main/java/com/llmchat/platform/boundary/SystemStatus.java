package com.llmchat.platform.boundary;

import com.llmchat.Build;
import com.llmchat.accounts.control.Callers;
import com.llmchat.platform.control.Cluster;
import com.llmchat.platform.control.SchemaMigrations;
import com.llmchat.platform.control.StreamExecutor;
import com.llmchat.settings.control.Installation;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;

@Stateless
public class SystemStatus {

  public record Report(
      String instanceId,
      String installedAt,
      String persistenceProvider,
      String database,
      String javaVersion,
      boolean virtualThreads,
      String server,
      List<String> cluster) {}

  @PersistenceContext EntityManager em;
  @Inject Installation installation;
  @Inject StreamExecutor streams;
  @Inject Callers callers;
  @Inject SchemaMigrations migrations;
  @Inject Cluster cluster;

  /** What anyone may see: the installation and whether its database answers. */
  public record Summary(String instanceId, String installedAt, String databaseProduct) {}

  public Summary summary() {
    String database = (String) em.createNativeQuery("select version()").getSingleResult();
    return new Summary(
        installation.instanceId(), installation.installedAt(), database.split(" ", 2)[0]);
  }

  /** What anyone may see of the build: product, version, source commit, schema version. */
  public record Version(String product, String version, String commit, String schemaVersion) {}

  public Version version() {
    Build build = Build.current();
    return new Version("LLM Chat", build.version(), build.commit(), migrations.version());
  }

  public Report report() {
    callers.requireAdmin();
    String database = (String) em.createNativeQuery("select version()").getSingleResult();
    return new Report(
        installation.instanceId(),
        installation.installedAt(),
        em.getDelegate().getClass().getName(),
        database,
        Runtime.version().toString(),
        streams.usesVirtualThreads(),
        cluster.self(),
        cluster.members());
  }
}
