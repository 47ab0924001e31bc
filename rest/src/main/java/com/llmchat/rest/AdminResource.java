package com.llmchat.rest;

import com.llmchat.platform.boundary.SystemStatus;
import com.llmchat.settings.boundary.Settings;
import com.llmchat.settings.entity.Setting;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@RequestScoped
@Path("v1/admin")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

  public record SettingValue(String name, String value, String updatedAt) {
    static SettingValue of(Setting setting) {
      return new SettingValue(setting.name(), setting.value(), setting.updatedAt().toString());
    }
  }

  public record NewValue(@NotNull @Size(max = Setting.MAX_VALUE_LENGTH) String value) {}

  @Inject SystemStatus status;
  @Inject Settings settings;

  @GET
  @Path("system")
  public SystemStatus.Report system() {
    return status.report();
  }

  @GET
  @Path("settings/{name}")
  public SettingValue setting(@PathParam("name") String name) {
    return settings
        .find(name)
        .map(SettingValue::of)
        .orElseThrow(() -> new NotFoundException("No setting named " + name));
  }

  @PUT
  @Path("settings/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public SettingValue change(
      @PathParam("name") String name, @jakarta.validation.Valid @NotNull NewValue body) {
    if (!Setting.isValidName(name)) {
      throw new IllegalArgumentException("Setting names are lower-case words joined by '.' or '-'");
    }
    if (Setting.isReadOnly(name)) {
      throw new IllegalArgumentException("Setting " + name + " is managed by the server");
    }
    return SettingValue.of(settings.put(name, body.value()));
  }
}
