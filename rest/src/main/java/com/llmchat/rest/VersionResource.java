package com.llmchat.rest;

import com.llmchat.platform.boundary.SystemStatus;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Which build answers, for anyone: product version, source commit, schema version. */
@RequestScoped
@Tag(name = "Installation")
@Path("v1/version")
@PermitAll
public class VersionResource {

  @Inject SystemStatus status;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public SystemStatus.Version version() {
    return status.version();
  }
}
