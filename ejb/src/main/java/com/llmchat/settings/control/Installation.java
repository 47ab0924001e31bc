package com.llmchat.settings.control;

import com.llmchat.platform.control.StartupTurn;
import com.llmchat.settings.boundary.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.logging.Logger;

/** Gives the installation a stable identity the first time it starts against a database. */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class Installation {

  public static final String INSTANCE_ID = "instance.id";
  public static final String INSTALLED_AT = "instance.installed-at";
  private static final Logger LOG = Logger.getLogger(Installation.class.getName());

  @Inject Settings settings;
  @Inject StartupTurn startupTurn;

  private String instanceId;
  private String installedAt;

  @PostConstruct
  void identify() {
    // the servers of a cluster starting together on a new database: one makes the identity
    startupTurn.take();
    instanceId = settings.putIfAbsent(INSTANCE_ID, UUID.randomUUID().toString());
    installedAt = settings.putIfAbsent(INSTALLED_AT, OffsetDateTime.now(ZoneOffset.UTC).toString());
    LOG.info(() -> "LLM Chat installation " + instanceId + " (installed " + installedAt + ")");
  }

  public String instanceId() {
    return instanceId;
  }

  public String installedAt() {
    return installedAt;
  }
}
