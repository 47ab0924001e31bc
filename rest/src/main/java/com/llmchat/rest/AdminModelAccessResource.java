package com.llmchat.rest;

import com.llmchat.edge.ClientAddresses;
import com.llmchat.providers.boundary.ModelAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who may use each shared model: everybody, or chosen groups. For administrators. */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/model-access")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminModelAccessResource {

  /** A shared model and the groups it is open to; {@code everybody} when none are chosen. */
  public record AccessView(
      String alias, String displayName, String kind, boolean everybody, List<GroupView> groups) {
    static AccessView of(ModelAccess.Access access) {
      return new AccessView(
          access.alias(),
          access.displayName(),
          access.kind().name(),
          access.everybody(),
          access.groups().stream().map(GroupView::of).toList());
    }
  }

  /** The groups a model is open to; an empty list opens it to everybody. */
  public record Grant(@NotNull @Size(max = 1000) List<@NotNull Long> groups) {}

  @Inject ModelAccess access;
  @Context HttpServletRequest request;

  @GET
  public List<AccessView> list() {
    return access.list().stream().map(AccessView::of).toList();
  }

  @PUT
  @Path("{alias: .+}")
  @Consumes(MediaType.APPLICATION_JSON)
  public AccessView grant(@PathParam("alias") String alias, @Valid @NotNull Grant grant) {
    return AccessView.of(
        access.grant(alias, new LinkedHashSet<>(grant.groups()), ClientAddresses.of(request)));
  }
}
