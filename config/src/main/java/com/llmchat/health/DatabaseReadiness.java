package com.llmchat.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while PostgreSQL answers, through both pools: a pod without its database must not
 * receive traffic. Each probe runs a statement on a pooled connection (not {@code isValid}, which
 * reports a dead connection without an error): a connection PostgreSQL closed fails it, and the
 * pool's exception sorter then drops every connection made before — so that when PostgreSQL is back
 * and the probe says UP, no request meets a dead one. A statement that failed for a lost connection
 * is tried once more, on a new one: PostgreSQL restarted is ready, not down.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

  @Resource(lookup = "java:jboss/datasources/LLMChatDS")
  DataSource dataSource;

  @Resource(lookup = "java:jboss/datasources/LLMChatAutoCommitDS")
  DataSource autoCommit;

  @Inject
  @ConfigProperty(name = "llmchat.health.db-timeout-seconds", defaultValue = "2")
  int timeoutSeconds;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("database");
    try {
      answers(dataSource);
      answers(autoCommit);
      return response.up().build();
    } catch (SQLException | RuntimeException e) {
      return response.down().withData("error", String.valueOf(e.getMessage())).build();
    }
  }

  private void answers(DataSource pool) throws SQLException {
    try {
      select(pool);
    } catch (SQLException e) {
      if (!connectionLost(e)) {
        throw e;
      }
      select(pool);
    }
  }

  private void select(DataSource pool) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(timeoutSeconds);
      statement.execute("select 1");
    }
  }

  /**
   * Class 08 (connection exception) or PostgreSQL's 57P01–57P03 (the server shut down): the errors
   * the pools' exception sorter ({@code com.llmchat.jdbc.ConnectionLossSorter}, a server module the
   * application does not see) drops the pool for — keep the two alike.
   */
  static boolean connectionLost(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      String state = next.getSQLState();
      if (state != null && (state.startsWith("08") || state.matches("57P0[123]"))) {
        return true;
      }
    }
    return false;
  }
}
