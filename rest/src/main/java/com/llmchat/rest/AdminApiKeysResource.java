package com.llmchat.rest;

import com.llmchat.accounts.boundary.ApiKeys;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.usage.boundary.Usage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Every user's API keys, for administrators: listed and revoked. */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/keys")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminApiKeysResource {

  @Inject ApiKeys keys;
  @Inject Usage usage;
  @Context HttpServletRequest request;

  /** Keys whose owner's username or whose name contains {@code search}, newest first. */
  @GET
  public List<ApiKeyView> list(
      @QueryParam("search") @Size(max = 100) String search,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
    var used = usage.ofAllKeys();
    return keys.all(search, limit).stream().map(key -> ApiKeyView.of(key, used)).toList();
  }

  @DELETE
  @Path("{keyId}")
  public ApiKeyView revoke(@PathParam("keyId") long keyId) {
    return ApiKeyView.of(keys.revokeAny(keyId, ClientAddresses.of(request)));
  }
}
