package com.llmchat.jdbc;

import java.io.Serializable;
import java.sql.SQLException;
import org.jboss.jca.adapters.jdbc.spi.ExceptionSorter;

/**
 * Tells the datasources' pools which errors mean the connection itself is gone, so that they drop
 * it — and, with the flush strategy {@code AllConnections}, every other connection made before it —
 * at the first such error, instead of handing the dead ones out again until the background
 * validation finds them. WildFly's own {@code PostgreSQLExceptionSorter} never reports an error as
 * fatal, so the pools' configuration relied on a flush that could not happen.
 *
 * <p>Fatal: every SQLState of class 08 (connection exception: the driver's I/O errors, a closed
 * connection), and PostgreSQL's {@code 57P01} (terminated by an administrator: a shutdown, {@code
 * pg_terminate_backend}), {@code 57P02} (crash shutdown) and {@code 57P03} (not accepting
 * connections yet). Not fatal: what a statement or a transaction did wrong (constraints,
 * serialization failures, a statement's timeout), which leaves the connection usable. The readiness
 * probe ({@code DatabaseReadiness}, in the application) tries a statement once more after the same
 * errors: keep the two alike.
 */
public class ConnectionLossSorter implements ExceptionSorter, Serializable {

  private static final long serialVersionUID = 1L;

  @Override
  public boolean isExceptionFatal(SQLException e) {
    for (SQLException error = e; error != null; error = error.getNextException()) {
      if (lost(error.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static boolean lost(String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03"));
  }
}
