package com.llmchat.rest;

import com.llmchat.providers.boundary.Models;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The models the caller may pick, by alias. */
@RequestScoped
@Tag(name = "Models and providers")
@Path("v1/models")
@RolesAllowed({Roles.USER, Roles.ADMIN})
public class ModelsResource {

  /**
   * A model as users pick it; {@code simulated} marks the built-in demo simulator, {@code vision} a
   * model that takes images.
   */
  public record ModelChoiceView(
      String id,
      String displayName,
      boolean own,
      int providers,
      boolean simulated,
      boolean vision) {}

  @Inject Models models;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<ModelChoiceView> available() {
    return models.available().stream()
        // embedding models serve applications (/v1/embeddings), not conversations
        .filter(Models.Choice::chat)
        .map(
            choice ->
                new ModelChoiceView(
                    choice.alias(),
                    choice.displayName(),
                    choice.own(),
                    choice.providers(),
                    choice.displayName().contains("(simulated)"),
                    choice.vision()))
        .toList();
  }
}
