package com.llmchat.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The interactive API documentation at {@code /api/docs/}: Swagger UI from its webjar, served by
 * this server (it works without internet), showing the OpenAPI documents of the REST API ({@code
 * /api/openapi}) and of the OpenAI-compatible API ({@code /openapi/v1}). Only the files it needs
 * are served, with a content security policy that allows no script from elsewhere.
 */
@ApplicationScoped
@Path("docs")
@PermitAll
public class DocsResource {

  private static final String OWN = "/com/llmchat/rest/docs/";
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self';"
          + " frame-ancestors 'self'; form-action 'self'";

  /** The files served, by name: ours, and Swagger UI's. */
  private static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "docs.js", "text/javascript; charset=utf-8",
          "swagger-ui.css", "text/css; charset=utf-8",
          "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
          "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
          "favicon-32x32.png", "image/png");

  private final String swaggerUi = WEBJAR + version() + "/";

  @GET
  @Operation(hidden = true)
  public Response index() {
    return file("index.html");
  }

  @GET
  @Path("{file}")
  @Operation(hidden = true)
  public Response file(@PathParam("file") String file) {
    String type = TYPES.get(file);
    if (type == null) {
      throw new NotFoundException();
    }
    boolean own = file.equals("index.html") || file.equals("docs.js");
    InputStream content =
        own
            ? DocsResource.class.getResourceAsStream(OWN + file)
            : DocsResource.class.getClassLoader().getResourceAsStream(swaggerUi + file);
    if (content == null) {
      throw new NotFoundException();
    }
    CacheControl cache = new CacheControl();
    // Swagger UI's files change only with its version, which is in their path upstream but not
    // here: an hour is short enough for an upgrade to show
    cache.setMaxAge(own ? 0 : 3600);
    return Response.ok(content, type)
        .cacheControl(cache)
        .header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }

  /** The version of the Swagger UI webjar on the class path. */
  private static String version() {
    Properties properties = new Properties();
    try (InputStream in =
        DocsResource.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the Swagger UI webjar is missing");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }
}
