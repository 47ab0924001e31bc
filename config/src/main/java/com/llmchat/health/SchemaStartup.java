package com.llmchat.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the schema migrations have been applied without a failed step. */
@Startup
@ApplicationScoped
public class SchemaStartup implements HealthCheck {

  private static final String LATEST_MIGRATION =
      "select version, (select count(*) from flyway_schema_history where not success) as failed"
          + " from flyway_schema_history where success order by installed_rank desc limit 1";

  @Resource(lookup = "java:jboss/datasources/LLMChatDS")
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("schema");
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(LATEST_MIGRATION)) {
      if (!row.next()) {
        return response.down().withData("error", "no migration applied").build();
      }
      return response
          .status(row.getLong("failed") == 0)
          .withData("version", row.getString("version"))
          .build();
    } catch (SQLException | RuntimeException e) {
      return response.down().withData("error", String.valueOf(e.getMessage())).build();
    }
  }
}
