package com.llmchat.rest;

import com.llmchat.providers.boundary.Providers.Scope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A user's own providers and keys, seen and used by that user only. */
@RequestScoped
@Tag(name = "Models and providers")
@Path("v1/providers")
@RolesAllowed({Roles.USER, Roles.ADMIN})
public class ProvidersResource extends ProviderEndpoints {

  @Override
  Scope scope() {
    return Scope.OWN;
  }
}
