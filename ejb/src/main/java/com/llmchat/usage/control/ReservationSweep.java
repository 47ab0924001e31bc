package com.llmchat.usage.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Once a minute on every server (the statements skip what another server holds): reservations held
 * past their time give their tokens back, and those of replies cut off by a stopped server are
 * settled to what the reply holds; and the groups' budgets are measured for their gauges.
 */
@Startup
@Singleton
@DependsOn({"SchemaMigrations", "StreamRecovery"})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ReservationSweep {

  private static final Logger LOG = Logger.getLogger(ReservationSweep.class.getName());

  @Inject Reservations reservations;
  @Inject BudgetMeters meters;
  @Inject GroupBudgets groupBudgets;

  /** After the recovery marked the replies a stop cut off: their reservations settle at once. */
  @PostConstruct
  void start() {
    meters.start();
    sweep();
  }

  @Schedule(hour = "*", minute = "*", second = "17", persistent = false)
  void sweep() {
    try {
      int released = reservations.releaseExpired();
      int settled = reservations.settleAbandoned(500);
      reservations.foldSettled();
      if (released + settled > 0) {
        LOG.info(
            () ->
                released
                    + " reservation(s) held past their time released, "
                    + settled
                    + " of cut-off replies settled");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The reservation sweep failed; it runs again in a minute", e);
    }
    measureGroups();
  }

  private void measureGroups() {
    try {
      groupBudgets.measure();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The groups' budgets could not be measured", e);
    }
  }
}
