package com.llmchat.web.admin.budgets;

import com.llmchat.edge.ClientAddresses;
import com.llmchat.usage.boundary.BudgetException;
import com.llmchat.usage.boundary.Budgets;
import com.llmchat.usage.entity.Budget;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;

/**
 * admin/budgets.xhtml: budgets (per day or month) and rate limits (per minute) of accounts, groups
 * and API keys, set in one form (made, or changed when the holder has one for the period), with
 * what their current period has used and left.
 */
@Named("adminBudgetsView")
@ViewScoped
public class BudgetsView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject Budgets budgets;
  @Inject Messages messages;

  private String holder = Budget.Holder.GROUP.name();
  private String holderName;
  private String period = Budget.Period.MONTH.name();
  private Long tokenLimit;
  private Long requestLimit;

  private transient List<Budgets.State> shown;
  private transient FacesContext shownIn;

  public List<Budgets.State> getBudgets() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = budgets.all();
      shownIn = request;
    }
    return shown;
  }

  public void save() {
    act(
        () -> {
          budgets.set(
              Budget.Holder.valueOf(holder),
              holderName,
              Budget.Period.valueOf(period),
              tokenLimit,
              requestLimit,
              clientIp());
          messages.info("admin.budgets.saved", holderName);
        });
  }

  /** The row's values into the form, to change them. */
  public void edit(Budgets.State state) {
    Budget budget = state.budget();
    holder = budget.holder().name();
    holderName =
        budget.holder() == Budget.Holder.KEY
            ? state.holderName().replaceAll(".*\\((.*)…\\)$", "$1")
            : state.holderName();
    period = budget.period().name();
    tokenLimit = budget.tokenLimit();
    requestLimit = budget.requestLimit();
  }

  public void delete(Budgets.State state) {
    act(() -> budgets.delete(state.budget().id(), clientIp()));
  }

  private void act(Runnable action) {
    try {
      action.run();
      shown = null;
    } catch (BudgetException e) {
      messages.refused("admin.budgets", e.reason(), e.getMessage());
    }
  }

  private static String clientIp() {
    return ClientAddresses.of(
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
  }

  /** When the budget's period ends, in the budgets' time zone. */
  public String resetsAt(Budgets.State state) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
        .format(state.resetsAt().atZone(java.time.ZoneId.of(budgets.zone())));
  }

  public String getZone() {
    return budgets.zone();
  }

  public String getHolder() {
    return holder;
  }

  public void setHolder(String holder) {
    this.holder = holder;
  }

  public String getHolderName() {
    return holderName;
  }

  public void setHolderName(String holderName) {
    this.holderName = holderName;
  }

  public String getPeriod() {
    return period;
  }

  public void setPeriod(String period) {
    this.period = period;
  }

  public Long getTokenLimit() {
    return tokenLimit;
  }

  public void setTokenLimit(Long tokenLimit) {
    this.tokenLimit = tokenLimit;
  }

  public Long getRequestLimit() {
    return requestLimit;
  }

  public void setRequestLimit(Long requestLimit) {
    this.requestLimit = requestLimit;
  }
}
