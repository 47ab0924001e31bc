package com.llmchat.rest;

import com.llmchat.accounts.boundary.Groups;
import com.llmchat.edge.ClientAddresses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

/** Groups of accounts (departments) and who is in them, for administrators. */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/groups")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminGroupsResource {

  public record NewGroup(
      @NotBlank @Size(max = 64) String name,
      @Size(max = 500) String description,
      Boolean ownProviders) {}

  /** What to change; a field left out stays as it is. */
  public record GroupChange(
      @Size(max = 64) String name, @Size(max = 500) String description, Boolean ownProviders) {}

  @Inject Groups groups;
  @Context HttpServletRequest request;

  @GET
  public List<GroupView> list() {
    return groups.list().stream().map(GroupView::of).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@Valid @NotNull NewGroup group) {
    var created =
        groups.create(
            group.name(),
            group.description(),
            Boolean.TRUE.equals(group.ownProviders()),
            ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED).entity(GroupView.of(created)).build();
  }

  @GET
  @Path("{groupId}")
  public GroupView find(@PathParam("groupId") long groupId) {
    return GroupView.of(groups.find(groupId));
  }

  @PUT
  @Path("{groupId}")
  @Consumes(MediaType.APPLICATION_JSON)
  public GroupView change(@PathParam("groupId") long groupId, @Valid @NotNull GroupChange change) {
    return GroupView.of(
        groups.change(
            groupId,
            change.name(),
            change.description(),
            change.ownProviders(),
            ClientAddresses.of(request)));
  }

  @DELETE
  @Path("{groupId}")
  public Response delete(@PathParam("groupId") long groupId) {
    groups.delete(groupId, ClientAddresses.of(request));
    return Response.noContent().build();
  }

  @GET
  @Path("{groupId}/members")
  public List<AccountView> members(@PathParam("groupId") long groupId) {
    return groups.members(groupId).stream().map(AccountView::of).toList();
  }

  @PUT
  @Path("{groupId}/members/{accountId}")
  public Response addMember(
      @PathParam("groupId") long groupId, @PathParam("accountId") long accountId) {
    groups.addMember(groupId, accountId, ClientAddresses.of(request));
    return Response.noContent().build();
  }

  @DELETE
  @Path("{groupId}/members/{accountId}")
  public Response removeMember(
      @PathParam("groupId") long groupId, @PathParam("accountId") long accountId) {
    groups.removeMember(groupId, accountId, ClientAddresses.of(request));
    return Response.noContent().build();
  }
}
