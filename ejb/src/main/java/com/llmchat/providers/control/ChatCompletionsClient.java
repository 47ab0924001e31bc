package com.llmchat.providers.control;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The OpenAI-compatible wire protocol of a model server: models, chat completions, embeddings. Base
 * URL as the OpenAI SDKs take it, for example {@code http://vllm:8000/v1}. Every model call of LLM
 * Chat goes through here.
 */
@RegisterRestClient(configKey = "model-server")
public interface ChatCompletionsClient extends AutoCloseable {

  /** The caller reads the body (within a limit) and closes it. */
  @GET
  @Path("/models")
  @Produces(MediaType.APPLICATION_JSON)
  InputStream models(@HeaderParam("Authorization") String authorization);

  /** Streams the completion; the caller reads the SSE body and closes the stream. */
  @POST
  @Path("/chat/completions")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.SERVER_SENT_EVENTS)
  InputStream streamCompletion(@HeaderParam("Authorization") String authorization, String request);

  /** The whole completion as one JSON body; the caller reads it (within a limit) and closes it. */
  @POST
  @Path("/chat/completions")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  InputStream complete(@HeaderParam("Authorization") String authorization, String request);

  /** Embeddings of the request's input, one JSON body; read (within a limit) and closed. */
  @POST
  @Path("/embeddings")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  InputStream embeddings(@HeaderParam("Authorization") String authorization, String request);
}
