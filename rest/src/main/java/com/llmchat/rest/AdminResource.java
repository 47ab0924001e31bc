package com.llmchat.rest;

import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.platform.boundary.Statistics;
import com.llmchat.platform.boundary.SystemStatus;
import com.llmchat.settings.boundary.Settings;
import com.llmchat.settings.entity.Setting;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RequestScoped
@Tag(name = "Administration")
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

  public record AuditEntry(
      long id,
      String occurredAt,
      String actor,
      String action,
      String target,
      String outcome,
      String clientIp,
      String detail) {}

  @Inject SystemStatus status;
  @Inject Settings settings;
  @Inject AuditLog audit;
  @Inject Statistics statistics;

  @GET
  @Path("audit")
  public List<AuditEntry> audit(
      @QueryParam("action") @Size(max = 64) String action,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    return audit.recent(action, limit).stream()
        .map(
            e ->
                new AuditEntry(
                    e.id(),
                    e.occurredAt().toString(),
                    e.actor(),
                    e.action(),
                    e.target(),
                    e.outcome(),
                    e.clientIp(),
                    e.detail()))
        .toList();
  }

  /**
   * Calls under way now, today's requests and tokens, and per administrators' provider its breaker,
   * recent error rate and median time to first token.
   */
  @GET
  @Path("stats")
  public Statistics.Snapshot stats() {
    return statistics.now();
  }

  @GET
  @Path("system")
  public SystemStatus.Report system() {
    return status.report();
  }

  @GET
  @Path("settings/{name}")
  public SettingValue setting(@PathParam("name") String name) {
    return settings
        .read(name)
        .map(SettingValue::of)
        .orElseThrow(() -> new NotFoundException("No setting named " + name));
  }

  @PUT
  @Path("settings/{name}")
  @Consumes(MediaType.APPLICATION_JSON)
  public SettingValue change(
      @PathParam("name") String name, @jakarta.validation.Valid @NotNull NewValue body) {
    return SettingValue.of(settings.change(name, body.value()));
  }
}
