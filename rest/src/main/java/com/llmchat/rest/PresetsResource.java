package com.llmchat.rest;

import com.llmchat.edge.ClientAddresses;
import com.llmchat.json.JsonFactory;
import com.llmchat.presets.boundary.PresetException;
import com.llmchat.presets.boundary.Presets;
import com.llmchat.presets.control.PresetFiles;
import com.llmchat.presets.entity.PresetSettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.NotNull;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Presets as users see them: their own (made, changed, deleted, exported, imported here) and the
 * shared ones offered to them (read only; administrators manage those at {@code
 * /v1/admin/presets}). A conversation starts from one with {@code POST /v1/conversations
 * {"presetId": …}}.
 */
@RequestScoped
@Tag(name = "Presets")
@Path("v1/presets")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class PresetsResource {

  /** A preset's settings (see {@link PresetSettings} for the limits). */
  public record PresetInput(
      String name,
      String description,
      String model,
      String systemPrompt,
      Double temperature,
      Integer maxTokens,
      String greeting,
      List<String> suggestions) {

    PresetSettings settings() {
      try {
        return new PresetSettings(
            name, description, model, systemPrompt, temperature, maxTokens, greeting, suggestions);
      } catch (IllegalArgumentException e) {
        throw new PresetException(PresetException.Reason.INVALID, e.getMessage());
      }
    }
  }

  public record ImportedView(int created, int replaced) {}

  @Inject Presets presets;
  @Context HttpServletRequest request;

  @GET
  public List<PresetView> visible() {
    return presets.visible().stream().map(PresetView::of).toList();
  }

  @GET
  @Path("{presetId}")
  public PresetView find(@PathParam("presetId") long presetId) {
    return PresetView.of(presets.find(presetId));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@NotNull PresetInput input) {
    return Response.status(Response.Status.CREATED)
        .entity(PresetView.of(presets.create(input.settings(), ClientAddresses.of(request))))
        .build();
  }

  @PUT
  @Path("{presetId}")
  @Consumes(MediaType.APPLICATION_JSON)
  public PresetView update(@PathParam("presetId") long presetId, @NotNull PresetInput input) {
    return PresetView.of(
        presets.update(presetId, input.settings(), null, ClientAddresses.of(request)));
  }

  @DELETE
  @Path("{presetId}")
  public Response delete(@PathParam("presetId") long presetId) {
    presets.delete(presetId, ClientAddresses.of(request));
    return Response.noContent().build();
  }

  /** The caller's own presets as a file ({@code llmchat-presets}), for {@code import}. */
  @GET
  @Path("export")
  public Response export() {
    return file(PresetFiles.write(presets.ownSettings()), "presets");
  }

  /** Presets from a file as the caller's own; one of the same name is replaced. All or none. */
  @POST
  @Path("import")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response importFile(String file) {
    var done = presets.bringIn(read(file), false, ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED)
        .entity(new ImportedView(done.created(), done.replaced()))
        .build();
  }

  static List<PresetSettings> read(String file) {
    try {
      return PresetFiles.read(JsonFactory.parse(file == null ? "" : file));
    } catch (RuntimeException e) {
      throw new PresetException(PresetException.Reason.INVALID, e.getMessage());
    }
  }

  static Response file(String json, String name) {
    return Response.ok(json.getBytes(StandardCharsets.UTF_8), "application/json; charset=UTF-8")
        .header("Content-Disposition", "attachment; filename=\"" + name + ".json\"")
        .build();
  }
}
