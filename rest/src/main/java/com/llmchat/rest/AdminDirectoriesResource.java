package com.llmchat.rest;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.identity.boundary.Directories;
import com.llmchat.identity.control.LdapClient;
import com.llmchat.identity.entity.Directory;
import com.llmchat.identity.entity.DirectorySettings;
import com.llmchat.identity.entity.DirectorySettings.GroupMode;
import com.llmchat.identity.entity.DirectorySettings.Kind;
import com.llmchat.identity.entity.GroupMapping;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Company directories (LDAP / Active Directory) for administrators: settings (the bind password is
 * write-only), a connection test, a trial login, and the mapping of directory groups to ours.
 */
@RequestScoped
@Tag(name = "Administration")
@Path("v1/admin/directories")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminDirectoriesResource {

  /**
   * A directory's settings. {@code kind} (openldap, active-directory) fills what is left out with
   * that kind's usual values; {@code bindPassword} is stored sealed and never shown.
   */
  public record DirectoryInput(
      @Size(max = 32) String kind,
      @NotBlank @Size(max = 64) String name,
      Boolean enabled,
      Integer position,
      @NotBlank @Size(max = 500) String url,
      Boolean startTls,
      @Size(max = 65536) String caCertificates,
      @Size(max = 500) String bindDn,
      @Size(max = 256) String bindPassword,
      @NotBlank @Size(max = 500) String userBase,
      @Size(max = 1000) String userFilter,
      @Size(max = 64) String usernameAttribute,
      @Size(max = 64) String displayNameAttribute,
      @Size(max = 64) String emailAttribute,
      @Size(max = 1000) String disabledFilter,
      @Size(max = 16) String groupMode,
      @Size(max = 64) String groupAttribute,
      @Size(max = 500) String groupBase,
      @Size(max = 1000) String groupFilter,
      @Size(max = 64) String groupNameAttribute,
      Boolean nestedGroups) {

    DirectorySettings settings() {
      Kind chosen = Kind.OPENLDAP;
      if (kind != null && !kind.isBlank()) {
        chosen =
            switch (kind.strip().toLowerCase(Locale.ROOT)) {
              case "openldap" -> Kind.OPENLDAP;
              case "active-directory" -> Kind.ACTIVE_DIRECTORY;
              default -> throw new IllegalArgumentException("kind is openldap or active-directory");
            };
      }
      DirectorySettings base = DirectorySettings.preset(chosen, name, url, userBase);
      GroupMode mode = base.groupMode();
      if (groupMode != null && !groupMode.isBlank()) {
        try {
          mode = GroupMode.valueOf(groupMode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("groupMode is MEMBER_OF or SEARCH");
        }
      }
      return new DirectorySettings(
          name,
          enabled == null || enabled,
          position == null ? 0 : position,
          url,
          Boolean.TRUE.equals(startTls),
          caCertificates,
          bindDn,
          userBase,
          or(userFilter, base.userFilter()),
          or(usernameAttribute, base.usernameAttribute()),
          or(displayNameAttribute, base.displayNameAttribute()),
          or(emailAttribute, base.emailAttribute()),
          disabledFilter == null ? base.disabledFilter() : disabledFilter,
          mode,
          or(groupAttribute, base.groupAttribute()),
          groupBase == null ? (mode == GroupMode.SEARCH ? userBase : null) : groupBase,
          groupFilter == null && mode == base.groupMode() ? base.groupFilter() : groupFilter,
          or(groupNameAttribute, base.groupNameAttribute()),
          Boolean.TRUE.equals(nestedGroups));
    }

    private static String or(String value, String otherwise) {
      return value == null || value.isBlank() ? otherwise : value;
    }
  }

  /** A directory as the API shows it: no password, only whether one is stored. */
  public record DirectoryView(
      long id,
      String origin,
      boolean preset,
      boolean bindPasswordSet,
      String bindPasswordFile,
      DirectorySettings settings,
      String createdAt) {

    static DirectoryView of(Directory directory) {
      return new DirectoryView(
          directory.id(),
          directory.origin(),
          directory.preset(),
          directory.bindPasswordSealed() != null,
          directory.bindPasswordFile(),
          directory.settings(),
          directory.createdAt().toString());
    }
  }

  public record TrialCredentials(
      @NotBlank @Size(max = 256) String username, @NotNull @Size(max = 256) String password) {}

  public record MappingInput(
      @NotBlank @Size(max = 500) String directoryGroup, Long groupId, Boolean administrator) {}

  public record MappingView(long id, String directoryGroup, Long groupId, boolean administrator) {
    static MappingView of(GroupMapping mapping) {
      return new MappingView(
          mapping.id(), mapping.externalGroup(), mapping.groupId(), mapping.administrator());
    }
  }

  @Inject Directories directories;
  @Context HttpServletRequest request;

  @GET
  public List<DirectoryView> list() {
    return directories.list().stream().map(DirectoryView::of).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@Valid @NotNull DirectoryInput input) {
    Directory created =
        directories.create(settings(input), input.bindPassword(), ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED).entity(DirectoryView.of(created)).build();
  }

  @GET
  @Path("{id}")
  public DirectoryView find(@PathParam("id") long id) {
    return DirectoryView.of(directories.find(id));
  }

  /** Replaces the settings; a bindPassword left out keeps the stored one (same URL and DN). */
  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  public DirectoryView change(@PathParam("id") long id, @Valid @NotNull DirectoryInput input) {
    return DirectoryView.of(
        directories.update(id, settings(input), input.bindPassword(), ClientAddresses.of(request)));
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") long id) {
    directories.delete(id, ClientAddresses.of(request));
    return Response.noContent().build();
  }

  /** Connects, binds as the service account and reads the user base. */
  @POST
  @Path("{id}/test")
  public LdapClient.Probe test(@PathParam("id") long id) {
    return directories.probe(id, ClientAddresses.of(request));
  }

  /** A login as it would go — found entry, groups, what the mapping gives — changing nothing. */
  @POST
  @Path("{id}/test-login")
  @Consumes(MediaType.APPLICATION_JSON)
  public Directories.TrialLogin testLogin(
      @PathParam("id") long id, @Valid @NotNull TrialCredentials credentials) {
    return directories.tryLogin(
        id, credentials.username(), credentials.password(), ClientAddresses.of(request));
  }

  @GET
  @Path("{id}/mappings")
  public List<MappingView> mappings(@PathParam("id") long id) {
    directories.find(id);
    return directories.mappings(id).stream().map(MappingView::of).toList();
  }

  @POST
  @Path("{id}/mappings")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response map(@PathParam("id") long id, @Valid @NotNull MappingInput input) {
    GroupMapping mapping =
        directories.map(
            id,
            input.directoryGroup(),
            input.groupId(),
            Boolean.TRUE.equals(input.administrator()),
            ClientAddresses.of(request));
    return Response.status(Response.Status.CREATED).entity(MappingView.of(mapping)).build();
  }

  @DELETE
  @Path("{id}/mappings/{mappingId}")
  public Response unmap(@PathParam("id") long id, @PathParam("mappingId") long mappingId) {
    directories.unmap(id, mappingId, ClientAddresses.of(request));
    return Response.noContent().build();
  }

  private static DirectorySettings settings(DirectoryInput input) {
    try {
      return input.settings();
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
  }
}
