package com.llmchat.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.exception.FlywaySqlException;

/**
 * Brings the schema to the version this build expects before anything else touches the database. A
 * failed migration fails the deployment instead of serving with a half-migrated schema.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrations {

  private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

  @Resource(lookup = "java:jboss/datasources/LLMChatDS")
  DataSource dataSource;

  private String version;

  /** The version of the newest migration applied, e.g. {@code 8}. */
  @Lock(LockType.READ)
  public String version() {
    return version;
  }

  @PostConstruct
  void migrate() {
    for (int attempt = 1; ; attempt++) {
      try {
        migrateOnce();
        return;
      } catch (FlywaySqlException e) {
        // connections the pool kept across a database restart: each failure drops one
        if (attempt == 5 || e.getSqlState() == null || !e.getSqlState().startsWith("08")) {
          throw e;
        }
        LOG.warning(() -> "A pooled database connection was gone (" + e.getSqlState() + ")");
      }
    }
  }

  private void migrateOnce() {
    Flyway flyway =
        Flyway.configure(SchemaMigrations.class.getClassLoader())
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .failOnMissingLocations(true)
            .load();
    MigrateResult result = flyway.migrate();
    var current = flyway.info().current();
    version = current == null ? "none" : current.getVersion().getVersion();
    LOG.info(
        () ->
            "Schema at version "
                + result.targetSchemaVersion
                + " ("
                + result.migrationsExecuted
                + " migration(s) applied now)");
  }
}
