package com.llmchat.usage.boundary;

import com.llmchat.accounts.control.Caller;
import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.ApiKey;
import com.llmchat.accounts.entity.Group;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.usage.boundary.BudgetException.Reason;
import com.llmchat.usage.control.BudgetPeriods;
import com.llmchat.usage.control.BudgetsChanged;
import com.llmchat.usage.control.GroupBudgets;
import com.llmchat.usage.entity.Budget;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Budgets (tokens and requests per day or calendar month) and rate limits (per minute) of accounts,
 * groups and API keys: set by administrators, audited; each user sees those that apply to them and
 * what is left of each.
 */
@Stateless
public class Budgets {

  /** A budget with its holder's name and its current period's counts. */
  public record State(
      Budget budget,
      String holderName,
      Instant periodStart,
      Instant resetsAt,
      long usedTokens,
      long reservedTokens,
      long requests) {

    /** Tokens still to be had this period (null: tokens are not limited). */
    public Long tokensLeft() {
      return budget.tokenLimit() == null
          ? null
          : Math.max(0, budget.tokenLimit() - usedTokens - reservedTokens);
    }

    public Long requestsLeft() {
      return budget.requestLimit() == null ? null : Math.max(0, budget.requestLimit() - requests);
    }

    /** The larger share used of its limits, 0 to 1 (what the UI warns about below 10 % left). */
    public double utilisation() {
      return GroupBudgets.share(
          budget,
          new BudgetPeriods.Counts(periodStart, resetsAt, usedTokens, reservedTokens, requests));
    }
  }

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject Caller caller;
  @Inject BudgetPeriods periods;
  @Inject GroupBudgets groupBudgets;
  @Inject AuditLog audit;
  @Inject Event<BudgetsChanged> changed;

  /** The time zone whose midnights begin the budgets' days and months. */
  public String zone() {
    return periods.zone();
  }

  /** Every budget and rate limit, with its current period. */
  public List<State> all() {
    callers.requireAdmin();
    return states(em.createNamedQuery(Budget.ALL, Budget.class).getResultList());
  }

  /** Those that apply to the caller (own, groups', and the key's when called with one). */
  public List<State> mine() {
    long account = callers.identity().accountId();
    return states(
        em.createNamedQuery(Budget.OF_CALLER, Budget.class)
            .setParameter("account", account)
            .setParameter("key", caller.keyId().orElse(-1L))
            .getResultList());
  }

  public State find(long id) {
    callers.requireAdmin();
    return states(List.of(budget(id))).get(0);
  }

  public State create(
      Budget.Holder holder,
      long holderId,
      Budget.Period period,
      Long tokenLimit,
      Long requestLimit,
      String clientIp) {
    Account admin = callers.requireAdmin();
    if (holder == null) {
      throw new BudgetException(Reason.INVALID, "a budget belongs to an ACCOUNT, GROUP or KEY");
    }
    String name = holderName(holder, holderId);
    if (existing(holder, holderId, period).isPresent()) {
      throw new BudgetException(
          Reason.EXISTS, name + " has a " + period + " budget already: change that one");
    }
    Budget budget;
    try {
      budget = new Budget(holder, holderId, period, tokenLimit, requestLimit);
    } catch (IllegalArgumentException e) {
      throw new BudgetException(Reason.INVALID, e.getMessage());
    }
    em.persist(budget);
    em.flush();
    changed.fire(new BudgetsChanged());
    if (holder == Budget.Holder.GROUP) {
      // its gauge at once, not at the next minute's measurement
      groupBudgets.measure();
    }
    audit.record(
        admin.username(), "budget-create", name, Outcome.SUCCESS, clientIp, describe(budget));
    return states(List.of(budget)).get(0);
  }

  /**
   * The budgets page's one form: the holder by name (a username, a group's name, an API key's
   * prefix), its budget for the period made, or changed when it has one.
   */
  public State set(
      Budget.Holder holder,
      String holderName,
      Budget.Period period,
      Long tokenLimit,
      Long requestLimit,
      String clientIp) {
    callers.requireAdmin();
    long holderId = holderId(holder, holderName == null ? "" : holderName.strip());
    var existing = existing(holder, holderId, period);
    return existing.isPresent()
        ? change(existing.get().id(), tokenLimit, requestLimit, clientIp)
        : create(holder, holderId, period, tokenLimit, requestLimit, clientIp);
  }

  /** The holder's budget for the period, if it has one. */
  private Optional<Budget> existing(Budget.Holder holder, long holderId, Budget.Period period) {
    return em.createNamedQuery(Budget.OF_HOLDER, Budget.class)
        .setParameter("period", period)
        .setParameter("account", holder == Budget.Holder.ACCOUNT ? holderId : -1L)
        .setParameter("group", holder == Budget.Holder.GROUP ? holderId : -1L)
        .setParameter("key", holder == Budget.Holder.KEY ? holderId : -1L)
        .getResultStream()
        .findFirst();
  }

  private long holderId(Budget.Holder holder, String name) {
    var found =
        switch (holder) {
          case ACCOUNT -> callers.find(name).map(Account::id);
          case GROUP ->
              em.createNamedQuery(Group.BY_NAME, Group.class)
                  .setParameter("key", Group.key(name))
                  .getResultStream()
                  .findFirst()
                  .map(Group::id);
          case KEY ->
              em.createQuery("select k from ApiKey k where k.prefix = :prefix", ApiKey.class)
                  .setParameter(
                      "prefix", name.endsWith("…") ? name.substring(0, name.length() - 1) : name)
                  .getResultStream()
                  .findFirst()
                  .map(ApiKey::id);
        };
    return found.orElseThrow(
        () ->
            new BudgetException(
                Reason.HOLDER_NOT_FOUND,
                "no " + holder.name().toLowerCase(java.util.Locale.ROOT) + " called " + name));
  }

  public State change(long id, Long tokenLimit, Long requestLimit, String clientIp) {
    Account admin = callers.requireAdmin();
    Budget budget = budget(id);
    String before = describe(budget);
    try {
      budget.limit(tokenLimit, requestLimit);
    } catch (IllegalArgumentException e) {
      throw new BudgetException(Reason.INVALID, e.getMessage());
    }
    em.flush();
    audit.record(
        admin.username(),
        "budget-change",
        holderName(budget.holder(), budget.holderId()),
        Outcome.SUCCESS,
        clientIp,
        before + " -> " + describe(budget));
    return states(List.of(budget)).get(0);
  }

  public void delete(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    Budget budget = budget(id);
    em.remove(budget);
    changed.fire(new BudgetsChanged());
    audit.record(
        admin.username(),
        "budget-delete",
        holderName(budget.holder(), budget.holderId()),
        Outcome.SUCCESS,
        clientIp,
        describe(budget));
  }

  private List<State> states(List<Budget> budgets) {
    Map<Long, BudgetPeriods.Counts> current = periods.current(budgets);
    List<State> states = new ArrayList<>();
    for (Budget budget : budgets) {
      BudgetPeriods.Counts counts = current.get(budget.id());
      states.add(
          new State(
              budget,
              holderName(budget.holder(), budget.holderId()),
              counts.start(),
              counts.resetsAt(),
              counts.usedTokens(),
              counts.reservedTokens(),
              counts.requests()));
    }
    return states;
  }

  private String holderName(Budget.Holder holder, long id) {
    String name =
        switch (holder) {
          case ACCOUNT -> {
            Account account = em.find(Account.class, id);
            yield account == null ? null : account.username();
          }
          case GROUP -> {
            Group group = em.find(Group.class, id);
            yield group == null ? null : group.name();
          }
          case KEY -> {
            ApiKey key = em.find(ApiKey.class, id);
            yield key == null
                ? null
                : key.account().username() + "/" + key.name() + " (" + key.prefix() + "…)";
          }
        };
    if (name == null) {
      throw new BudgetException(
          Reason.HOLDER_NOT_FOUND, "no " + holder.name().toLowerCase() + " with id " + id);
    }
    return name;
  }

  private Budget budget(long id) {
    Budget budget = em.find(Budget.class, id);
    if (budget == null) {
      throw new BudgetException(Reason.NOT_FOUND, "no budget with id " + id);
    }
    return budget;
  }

  private static String describe(Budget budget) {
    return budget.period()
        + ": "
        + (budget.tokenLimit() == null ? "tokens unlimited" : budget.tokenLimit() + " tokens")
        + ", "
        + (budget.requestLimit() == null
            ? "requests unlimited"
            : budget.requestLimit() + " requests");
  }
}
