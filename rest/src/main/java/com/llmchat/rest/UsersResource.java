package com.llmchat.rest;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.accounts.boundary.Groups;
import com.llmchat.usage.boundary.Budgets;
import com.llmchat.usage.boundary.Usage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's own account. Role, enabled flag and id are not the user's to set. */
@RequestScoped
@Tag(name = "Accounts")
@Path("v1/users/me")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

  public record ProfileUpdate(
      @Size(max = 100) String displayName,
      @Size(max = 254) String email,
      @Size(max = 20) String locale) {}

  @Inject Accounts accounts;
  @Inject Usage usage;
  @Inject Groups groups;
  @Inject Budgets budgets;

  @GET
  public AccountView me() {
    return AccountView.of(accounts.me());
  }

  /** The caller's tokens per day and model; without dates the last 30 days. */
  @GET
  @Path("usage")
  public List<Usage.Day> usage(
      @QueryParam("from") @Pattern(regexp = UsageResource.DATE) String from,
      @QueryParam("to") @Pattern(regexp = UsageResource.DATE) String to) {
    return usage.mine(UsageResource.from(from, to), UsageResource.to(to));
  }

  /** The groups the caller is in. */
  @GET
  @Path("groups")
  public List<GroupView> groups() {
    return groups.mine().stream().map(GroupView::of).toList();
  }

  /** The budgets and rate limits that apply to the caller, with what is left of each. */
  @GET
  @Path("budgets")
  public List<BudgetView> budgets() {
    return budgets.mine().stream().map(BudgetView::of).toList();
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public AccountView update(@Valid @NotNull ProfileUpdate update) {
    return AccountView.of(
        accounts.updateProfile(update.displayName(), update.email(), update.locale()));
  }
}
