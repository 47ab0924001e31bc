package com.llmchat.rest;

import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.entity.ModelOption;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@RequestScoped
@Path("v1/models")
@RolesAllowed({Roles.USER, Roles.ADMIN})
public class ModelsResource {

  @Inject Models models;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<ModelOption> available() {
    return models.available();
  }
}
