package com.llmchat.rest;

import com.llmchat.usage.boundary.Usage;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Token usage per day, user and model (UTC days) for administrators, of everybody, of a group's
 * members ({@code group}) or of one API key's calls ({@code key}); users see their own at {@code
 * /v1/users/me/usage}. Without dates: the last 30 days.
 */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/usage")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

  static final String DATE = "\\d{4}-\\d{2}-\\d{2}";

  @Inject Usage usage;

  @GET
  public List<Usage.Day> everybody(
      @QueryParam("from") @Pattern(regexp = DATE) String from,
      @QueryParam("to") @Pattern(regexp = DATE) String to,
      @QueryParam("group") Long group,
      @QueryParam("key") Long key) {
    return usage.filtered(from(from, to), to(to), new Usage.Filter(group, key));
  }

  static LocalDate to(String to) {
    return to == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(to);
  }

  static LocalDate from(String from, String to) {
    return from == null ? to(to).minusDays(29) : LocalDate.parse(from);
  }
}
