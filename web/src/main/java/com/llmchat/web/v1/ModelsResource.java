package com.llmchat.web.v1;

import com.llmchat.accounts.control.Caller;
import com.llmchat.json.JsonFactory;
import com.llmchat.providers.boundary.Models;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/models}: the models the key may use — its owner's, narrowed to the key's models —
 * by the aliases to send as {@code model}.
 */
@RequestScoped
@Tag(name = "Models")
@Path("models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

  @Inject Models models;
  @Inject Caller caller;

  @GET
  @Operation(summary = "Lists the models the key may use, by alias")
  public String list() {
    JsonArrayBuilder data = JsonFactory.array();
    models.available().stream()
        .filter(choice -> caller.keyAllows(choice.alias()))
        .forEach(choice -> data.add(model(choice.alias())));
    return JsonFactory.object().add("object", "list").add("data", data).build().toString();
  }

  @GET
  @Path("{model}")
  @Operation(summary = "One model the key may use; 404 model_not_found otherwise")
  public Response one(@PathParam("model") String model) {
    boolean usable =
        caller.keyAllows(model)
            && models.available().stream().anyMatch(choice -> choice.alias().equals(model));
    return usable
        ? Response.ok(model(model).toString()).build()
        : OpenAiError.modelNotFound(model).response();
  }

  private static JsonObject model(String alias) {
    return JsonFactory.object()
        .add("id", alias)
        .add("object", "model")
        .add("created", 0)
        .add("owned_by", "llmchat")
        .build();
  }
}
