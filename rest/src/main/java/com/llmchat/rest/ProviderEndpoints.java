package com.llmchat.rest;

import com.llmchat.providers.boundary.ConnectionCheck;
import com.llmchat.providers.boundary.ModelSettings;
import com.llmchat.providers.boundary.ProviderSettings;
import com.llmchat.providers.boundary.Providers;
import com.llmchat.providers.boundary.Providers.Scope;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Providers and their models, the same for administrators' shared providers ({@code
 * /v1/admin/providers}) and users' own ({@code /v1/providers}); the subclass names the scope.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public abstract class ProviderEndpoints {

  /** A provider's settings; null keeps (on update) or defaults (on create). */
  public record ProviderInput(
      @Size(max = 100) String name,
      @Size(max = 500) String baseUrl,
      @Size(max = 1000) String apiKey,
      Integer connectTimeoutMs,
      Integer readTimeoutMs,
      Boolean includeUsage,
      Boolean allowPrivateNetwork,
      Boolean enabled) {

    ProviderSettings settings() {
      return new ProviderSettings(
          name,
          baseUrl,
          apiKey,
          connectTimeoutMs,
          readTimeoutMs,
          includeUsage,
          allowPrivateNetwork,
          enabled);
    }

    @Override
    public String toString() {
      return "ProviderInput[" + name + " " + baseUrl + "]";
    }
  }

  /** A model's settings; null keeps (on update) or defaults (on create). */
  public record ModelInput(
      @Size(max = 200) String upstreamId,
      @Size(max = 100) String alias,
      @Size(max = 100) String displayName,
      Double temperature,
      Integer maxTokens,
      Integer contextLimit,
      Integer priority,
      Boolean enabled,
      @Size(max = 16) String kind,
      Boolean vision) {

    ModelSettings settings() {
      return new ModelSettings(
          upstreamId,
          alias,
          displayName,
          temperature,
          maxTokens,
          contextLimit,
          priority,
          enabled,
          kind,
          vision);
    }
  }

  @Inject Providers providers;

  abstract Scope scope();

  @GET
  public List<ProviderView> list() {
    return providers.list(scope()).stream().map(this::view).toList();
  }

  @POST
  public Response create(@Valid @NotNull ProviderInput input) {
    return Response.status(Response.Status.CREATED)
        .entity(view(providers.create(scope(), input.settings())))
        .build();
  }

  @GET
  @Path("{providerId}")
  public ProviderView get(@PathParam("providerId") long providerId) {
    return view(providers.get(scope(), providerId));
  }

  @PUT
  @Path("{providerId}")
  public ProviderView update(
      @PathParam("providerId") long providerId, @Valid @NotNull ProviderInput input) {
    return view(providers.update(scope(), providerId, input.settings()));
  }

  @DELETE
  @Path("{providerId}")
  public Response delete(@PathParam("providerId") long providerId) {
    providers.delete(scope(), providerId);
    return Response.noContent().build();
  }

  /** Calls the provider's /models with the stored key. */
  @POST
  @Path("{providerId}/test")
  public ConnectionCheck test(@PathParam("providerId") long providerId) {
    return providers.test(scope(), providerId);
  }

  @POST
  @Path("{providerId}/models")
  public Response addModel(
      @PathParam("providerId") long providerId, @Valid @NotNull ModelInput input) {
    return Response.status(Response.Status.CREATED)
        .entity(
            ProviderView.ModelView.of(providers.addModel(scope(), providerId, input.settings())))
        .build();
  }

  @PUT
  @Path("{providerId}/models/{modelId}")
  public ProviderView.ModelView updateModel(
      @PathParam("providerId") long providerId,
      @PathParam("modelId") long modelId,
      @Valid @NotNull ModelInput input) {
    return ProviderView.ModelView.of(
        providers.updateModel(scope(), providerId, modelId, input.settings()));
  }

  @DELETE
  @Path("{providerId}/models/{modelId}")
  public Response deleteModel(
      @PathParam("providerId") long providerId, @PathParam("modelId") long modelId) {
    providers.deleteModel(scope(), providerId, modelId);
    return Response.noContent().build();
  }

  private ProviderView view(com.llmchat.providers.entity.Provider provider) {
    return ProviderView.of(
        provider, providers.models(scope(), provider.id()), providers.lastFailure(provider));
  }
}
