package com.llmchat.rest;

import com.llmchat.platform.control.StreamExecutor;
import com.llmchat.providers.boundary.Completions;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.UnknownModelException;
import com.llmchat.providers.control.StreamCancellation;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** One prompt, one streamed answer: the model's tokens relayed as server-sent events. */
@RequestScoped
@Path("v1/chat")
@RolesAllowed({Roles.USER, Roles.ADMIN})
public class ChatResource {

  public record ChatRequest(
      @NotBlank @Size(max = 200) String model,
      @NotNull @Size(min = 1, max = 100_000) String prompt) {}

  @Inject Models models;
  @Inject Completions completions;
  @Inject StreamExecutor streams;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "llmchat.stream.heartbeat-seconds", defaultValue = "15")
  long heartbeatSeconds;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void chat(
      @Valid @NotNull ChatRequest request,
      @Context HttpServletResponse response,
      @Context SseEventSink sink,
      @Context Sse sse) {
    // checked before the stream opens, so an unknown model is a plain 404 problem
    models.find(request.model()).orElseThrow(() -> new UnknownModelException(request.model()));
    // nginx and similar proxies would otherwise buffer the stream
    response.setHeader("X-Accel-Buffering", "no");
    var cancellation = new StreamCancellation();
    var events = new SseEvents(sink, sse, cancellation);
    events.keepAlive(scheduler, Duration.ofSeconds(Math.max(1, heartbeatSeconds)));
    streams.execute(
        () -> {
          try {
            completions.stream(request.model(), request.prompt(), events::send, cancellation);
          } finally {
            events.close();
          }
        });
  }
}
