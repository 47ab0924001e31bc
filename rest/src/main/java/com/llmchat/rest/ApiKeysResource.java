package com.llmchat.rest;

import com.llmchat.accounts.boundary.ApiKeys;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.usage.boundary.Usage;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's own API keys, for applications on the OpenAI-compatible API. */
@RequestScoped
@Tag(name = "API keys")
@Path("v1/keys")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeysResource {

  /**
   * A key to make: {@code models} limits it to those aliases (none or absent: every model the owner
   * may use), {@code expiresAt} (ISO 8601 with offset) ends it.
   */
  public record NewKey(
      @NotBlank @Size(max = 100) String name,
      @Size(max = 100) List<@NotBlank @Size(max = 100) String> models,
      OffsetDateTime expiresAt) {}

  /** The key just made and its secret, shown this once. */
  public record CreatedKey(ApiKeyView key, String secret) {}

  @Inject ApiKeys keys;
  @Inject Usage usage;
  @Context HttpServletRequest request;

  @GET
  public List<ApiKeyView> list() {
    var used = usage.ofMyKeys();
    return keys.own().stream().map(key -> ApiKeyView.of(key, used)).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@Valid @NotNull NewKey input) {
    var created =
        keys.create(input.name(), input.models(), input.expiresAt(), ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED)
        .header("Cache-Control", "no-store")
        .entity(new CreatedKey(ApiKeyView.of(created.key()), created.secret()))
        .build();
  }

  /** Revokes the key: it stops working at once; it stays listed as revoked. */
  @DELETE
  @Path("{keyId}")
  public ApiKeyView revoke(@PathParam("keyId") long keyId) {
    return ApiKeyView.of(keys.revokeOwn(keyId, ClientAddresses.of(request)));
  }
}
