package com.llmchat.rest;

import com.llmchat.edge.ClientAddresses;
import com.llmchat.presets.boundary.PresetException;
import com.llmchat.presets.boundary.Presets;
import com.llmchat.presets.entity.PresetSettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
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
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Shared presets, for administrators: published to everybody ({@code "everyone": true}) or to the
 * members of chosen groups, changed, withdrawn, exported and imported. Audited.
 */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/presets")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminPresetsResource {

  /** A shared preset: its settings and who it is offered to. */
  public record SharedInput(
      @NotNull PresetsResource.PresetInput preset, boolean everyone, Set<Long> groups) {

    Presets.Sharing sharing() {
      return new Presets.Sharing(everyone, groups == null ? Set.of() : groups);
    }

    PresetSettings settings() {
      if (preset == null) {
        throw new PresetException(PresetException.Reason.INVALID, "preset is required");
      }
      return preset.settings();
    }
  }

  @Inject Presets presets;
  @Context HttpServletRequest request;

  @GET
  public List<PresetView> shared() {
    return presets.shared().stream().map(PresetView::forAdministrators).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response publish(@Valid @NotNull SharedInput input) {
    var made = presets.publish(input.settings(), input.sharing(), ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED)
        .entity(PresetView.forAdministrators(made))
        .build();
  }

  @PUT
  @Path("{presetId}")
  @Consumes(MediaType.APPLICATION_JSON)
  public PresetView update(
      @PathParam("presetId") long presetId, @Valid @NotNull SharedInput input) {
    return PresetView.forAdministrators(
        presets.update(presetId, input.settings(), input.sharing(), ClientAddresses.of(request)));
  }

  @DELETE
  @Path("{presetId}")
  public Response delete(@PathParam("presetId") long presetId) {
    presets.delete(presetId, ClientAddresses.of(request));
    return Response.noContent().build();
  }

  @GET
  @Path("export")
  public Response export() {
    return PresetsResource.file(
        com.llmchat.presets.control.PresetFiles.write(presets.sharedSettings()), "shared-presets");
  }

  /** Presets from a file as shared ones offered to everybody; one of the same name is replaced. */
  @POST
  @Path("import")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response importFile(String file) {
    var done = presets.bringIn(PresetsResource.read(file), true, ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED)
        .entity(new PresetsResource.ImportedView(done.created(), done.replaced()))
        .build();
  }
}
