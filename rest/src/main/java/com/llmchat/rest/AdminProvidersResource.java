package com.llmchat.rest;

import com.llmchat.providers.boundary.Providers.Scope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The administrators' providers, whose models every user may pick. */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/providers")
@RolesAllowed(Roles.ADMIN)
public class AdminProvidersResource extends ProviderEndpoints {

  @Override
  Scope scope() {
    return Scope.SHARED;
  }
}
