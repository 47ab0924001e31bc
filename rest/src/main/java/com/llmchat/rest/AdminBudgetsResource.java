package com.llmchat.rest;

import com.llmchat.edge.ClientAddresses;
import com.llmchat.usage.boundary.Budgets;
import com.llmchat.usage.entity.Budget;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Budgets (per day or calendar month) and rate limits (per minute) of accounts, groups and API
 * keys, for administrators.
 */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/budgets")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminBudgetsResource {

  /** A new budget: whose, per what, and its limits (at least one). */
  public record NewBudget(
      @NotNull @Pattern(regexp = "ACCOUNT|GROUP|KEY") String holder,
      @NotNull Long holderId,
      @NotNull @Pattern(regexp = "MINUTE|DAY|MONTH") String period,
      @Min(0) Long tokenLimit,
      @Min(0) Long requestLimit) {}

  /** New limits; a limit left out (null) is lifted. */
  public record Limits(@Min(0) Long tokenLimit, @Min(0) Long requestLimit) {}

  @Inject Budgets budgets;
  @Context HttpServletRequest request;

  @GET
  public List<BudgetView> list() {
    return budgets.all().stream().map(BudgetView::of).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@Valid @NotNull NewBudget budget) {
    var created =
        budgets.create(
            Budget.Holder.valueOf(budget.holder()),
            budget.holderId(),
            Budget.Period.valueOf(budget.period()),
            budget.tokenLimit(),
            budget.requestLimit(),
            ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED).entity(BudgetView.of(created)).build();
  }

  @GET
  @Path("{budgetId}")
  public BudgetView find(@PathParam("budgetId") long budgetId) {
    return BudgetView.of(budgets.find(budgetId));
  }

  @PUT
  @Path("{budgetId}")
  @Consumes(MediaType.APPLICATION_JSON)
  public BudgetView change(@PathParam("budgetId") long budgetId, @Valid @NotNull Limits limits) {
    return BudgetView.of(
        budgets.change(
            budgetId, limits.tokenLimit(), limits.requestLimit(), ClientAddresses.of(request)));
  }

  @DELETE
  @Path("{budgetId}")
  public Response delete(@PathParam("budgetId") long budgetId) {
    budgets.delete(budgetId, ClientAddresses.of(request));
    return Response.noContent().build();
  }
}
