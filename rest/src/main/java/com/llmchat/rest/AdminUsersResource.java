package com.llmchat.rest;

import com.llmchat.accounts.boundary.AccountAdministration;
import com.llmchat.accounts.boundary.Groups;
import com.llmchat.accounts.entity.Role;
import com.llmchat.conversations.boundary.ConversationTransfer;
import com.llmchat.edge.ClientAddresses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** User management for administrators. */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/users")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminUsersResource {

  public record NewAccount(
      @NotBlank @Size(max = 64) String username,
      @Size(max = 100) String displayName,
      @Size(max = 254) String email,
      @Pattern(regexp = "USER|ADMIN") String role,
      @Size(max = 256) String password) {}

  public record RoleChange(@NotNull @Pattern(regexp = "USER|ADMIN") String role) {}

  public record PageView(List<AccountView> items, int page, int size, long total) {}

  /** The account and, when the server generated it, the one-time password to hand over. */
  public record CredentialsView(AccountView account, String oneTimePassword) {
    static CredentialsView of(AccountAdministration.Credentials credentials) {
      return new CredentialsView(
          AccountView.of(credentials.account()), credentials.oneTimePassword());
    }
  }

  /** The groups an account is to be in, exactly. */
  public record Placement(@NotNull @Size(max = 1000) List<@NotNull Long> groups) {}

  @Inject AccountAdministration administration;
  @Inject Groups groups;
  @Inject ConversationTransfer transfer;
  @Context HttpServletRequest request;

  @GET
  public PageView search(
      @QueryParam("search") @Size(max = 100) String search,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("20") int size) {
    var found = administration.search(search, page, size);
    return new PageView(
        found.items().stream().map(AccountView::of).toList(),
        found.page(),
        found.size(),
        found.total());
  }

  @GET
  @Path("{id}")
  public AccountView find(@PathParam("id") long id) {
    return AccountView.of(administration.find(id));
  }

  /**
   * A user's conversations as our JSON export (a data-subject request; audited as {@code
   * user-data-exported}). Their account is {@code GET /v1/admin/users/{id}}, their usage {@code GET
   * /v1/admin/usage}.
   */
  @GET
  @Path("{id}/conversations/export")
  public Response exportConversations(@PathParam("id") long id) {
    administration.find(id);
    return ConversationExports.all(
        after -> transfer.pageOfAccount(id, after), "user-" + id + "-conversations", true);
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@Valid @NotNull NewAccount account) {
    var created =
        administration.create(
            account.username(),
            account.displayName(),
            account.email(),
            account.role() == null ? Role.USER : Role.valueOf(account.role()),
            account.password(),
            ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED).entity(CredentialsView.of(created)).build();
  }

  @POST
  @Path("{id}/disable")
  public AccountView disable(@PathParam("id") long id) {
    return AccountView.of(administration.disable(id, ClientAddresses.of(request)));
  }

  @POST
  @Path("{id}/enable")
  public AccountView enable(@PathParam("id") long id) {
    return AccountView.of(administration.enable(id, ClientAddresses.of(request)));
  }

  @POST
  @Path("{id}/reset-password")
  public CredentialsView resetPassword(@PathParam("id") long id) {
    return CredentialsView.of(administration.resetPassword(id, ClientAddresses.of(request)));
  }

  @PUT
  @Path("{id}/role")
  @Consumes(MediaType.APPLICATION_JSON)
  public AccountView changeRole(@PathParam("id") long id, @Valid @NotNull RoleChange change) {
    return AccountView.of(
        administration.changeRole(id, Role.valueOf(change.role()), ClientAddresses.of(request)));
  }

  @GET
  @Path("{id}/groups")
  public List<GroupView> groups(@PathParam("id") long id) {
    return groups.of(id).stream().map(GroupView::of).toList();
  }

  @PUT
  @Path("{id}/groups")
  @Consumes(MediaType.APPLICATION_JSON)
  public List<GroupView> place(@PathParam("id") long id, @Valid @NotNull Placement placement) {
    return groups
        .place(id, new LinkedHashSet<>(placement.groups()), ClientAddresses.of(request))
        .stream()
        .map(GroupView::of)
        .toList();
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") long id) {
    administration.delete(id, ClientAddresses.of(request));
    return Response.noContent().build();
  }
}
