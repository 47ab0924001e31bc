package com.llmchat.rest;

import com.llmchat.settings.control.Installation;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What any client may know about this installation before logging in. */
@RequestScoped
@Tag(name = "Installation")
@Path("v1/info")
@PermitAll
public class InfoResource {

  public record Info(String product, String instanceId, String installedAt) {}

  @Inject Installation installation;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Info info() {
    return new Info("LLM Chat", installation.instanceId(), installation.installedAt());
  }
}
