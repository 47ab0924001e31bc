package com.llmchat.rest;

import com.llmchat.edge.ClientAddresses;
import com.llmchat.identity.boundary.IdentityProviders;
import com.llmchat.identity.entity.GroupMapping;
import com.llmchat.identity.entity.IdentityProvider;
import com.llmchat.identity.entity.ProviderSettings;
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

/**
 * OpenID Connect identity providers for administrators: settings (the client secret is write-only),
 * a test of discovery and keys, and the mapping of the groups claim to our groups.
 */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/identity-providers")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminIdentityProvidersResource {

  /** A provider's settings; a claim left out is the usual one (preferred_username, name, …). */
  public record ProviderInput(
      @NotBlank @Size(max = 64) String name,
      Boolean enabled,
      Integer position,
      @NotBlank @Size(max = 500) String issuer,
      @NotBlank @Size(max = 255) String clientId,
      @Size(max = 1000) String clientSecret,
      @Size(max = 500) String scopes,
      @Size(max = 64) String usernameClaim,
      @Size(max = 64) String displayNameClaim,
      @Size(max = 64) String emailClaim,
      @Size(max = 64) String groupsClaim,
      @Size(max = 65536) String caCertificates) {

    ProviderSettings settings() {
      return new ProviderSettings(
          name,
          enabled == null || enabled,
          position == null ? 0 : position,
          issuer,
          clientId,
          scopes,
          usernameClaim,
          displayNameClaim,
          emailClaim,
          groupsClaim,
          caCertificates);
    }
  }

  /** A provider as the API shows it: no secret, only whether one is stored. */
  public record ProviderView(
      long id,
      String origin,
      boolean preset,
      boolean clientSecretSet,
      ProviderSettings settings,
      String createdAt) {

    static ProviderView of(IdentityProvider provider) {
      return new ProviderView(
          provider.id(),
          provider.origin(),
          provider.preset(),
          provider.clientSecretSealed() != null,
          provider.settings(),
          provider.createdAt().toString());
    }
  }

  public record MappingInput(
      @NotBlank @Size(max = 500) String providerGroup, Long groupId, Boolean administrator) {}

  public record MappingView(long id, String providerGroup, Long groupId, boolean administrator) {
    static MappingView of(GroupMapping mapping) {
      return new MappingView(
          mapping.id(), mapping.externalGroup(), mapping.groupId(), mapping.administrator());
    }
  }

  @Inject IdentityProviders providers;
  @Context HttpServletRequest request;

  @GET
  public List<ProviderView> list() {
    return providers.list().stream().map(ProviderView::of).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@Valid @NotNull ProviderInput input) {
    IdentityProvider created =
        providers.create(input.settings(), input.clientSecret(), ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED).entity(ProviderView.of(created)).build();
  }

  @GET
  @Path("{id}")
  public ProviderView find(@PathParam("id") long id) {
    return ProviderView.of(providers.find(id));
  }

  /** Replaces the settings; a clientSecret left out keeps the stored one (same issuer, client). */
  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  public ProviderView change(@PathParam("id") long id, @Valid @NotNull ProviderInput input) {
    return ProviderView.of(
        providers.update(id, input.settings(), input.clientSecret(), ClientAddresses.of(request)));
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") long id) {
    providers.delete(id, ClientAddresses.of(request));
    return Response.noContent().build();
  }

  /** Reads the provider's discovery document and signing keys. */
  @POST
  @Path("{id}/test")
  public IdentityProviders.Probe test(@PathParam("id") long id) {
    return providers.probe(id, ClientAddresses.of(request));
  }

  @GET
  @Path("{id}/mappings")
  public List<MappingView> mappings(@PathParam("id") long id) {
    providers.find(id);
    return providers.mappings(id).stream().map(MappingView::of).toList();
  }

  @POST
  @Path("{id}/mappings")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response map(@PathParam("id") long id, @Valid @NotNull MappingInput input) {
    GroupMapping mapping =
        providers.map(
            id,
            input.providerGroup(),
            input.groupId(),
            Boolean.TRUE.equals(input.administrator()),
            ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED).entity(MappingView.of(mapping)).build();
  }

  @DELETE
  @Path("{id}/mappings/{mappingId}")
  public Response unmap(@PathParam("id") long id, @PathParam("mappingId") long mappingId) {
    providers.unmap(id, mappingId, ClientAddresses.of(request));
    return Response.noContent().build();
  }
}
