package com.llmchat.web.v1;

import com.llmchat.gateway.boundary.Gateway;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/chat/completions}: an application's request sent on as it came — tools and {@code
 * tool_choice}, {@code response_format}, message parts, provider extras — to the routes of the chat
 * model it names (our alias), with fallback, retries and breakers as in chat. Streamed ({@code
 * "stream": true}) or whole ({@link GatewayAnswers}).
 */
@RequestScoped
@Tag(name = "Chat")
@Path("chat/completions")
public class ChatCompletionsResource {

  @Inject Gateway gateway;
  @Inject GatewayAnswers answers;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Creates a chat completion",
      description =
          "The request as OpenAI defines it, sent on as it came with the model alias replaced by"
              + " the provider's model id. \"stream\": true answers with server-sent events"
              + " (the model server's chunks as they came, then data: [DONE]).")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "streamed",
                      value =
                          "{\"model\":\"demo\",\"stream\":true,"
                              + "\"stream_options\":{\"include_usage\":true},"
                              + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")))
  @APIResponse(
      responseCode = "200",
      description = "A chat.completion object, or its chunks as server-sent events",
      content = {
        @Content(mediaType = MediaType.APPLICATION_JSON),
        @Content(mediaType = MediaType.SERVER_SENT_EVENTS)
      })
  @APIResponse(responseCode = "400", description = "invalid_request_error")
  @APIResponse(responseCode = "401", description = "invalid_api_key")
  @APIResponse(responseCode = "404", description = "model_not_found")
  @APIResponse(responseCode = "429", description = "the model server is rate limited")
  @APIResponse(responseCode = "502", description = "no model server answered")
  @APIResponse(responseCode = "504", description = "the model server timed out")
  public void complete(String body, @Suspended AsyncResponse response) {
    answers.answer(body, ChatCompletionsResource::chatCompletion, gateway::chat, response);
  }

  /** The request, with what every chat completion needs. */
  private static JsonObject chatCompletion(String body) {
    JsonObject request = OpenAiRequests.withModel(body);
    if (!(request.get("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw new OpenAiRequests.Invalid("messages must be a non-empty array.", "messages");
    }
    JsonValue stream = request.get("stream");
    if (stream != null
        && stream != JsonValue.TRUE
        && stream != JsonValue.FALSE
        && stream != JsonValue.NULL) {
      throw new OpenAiRequests.Invalid("stream must be a boolean.", "stream");
    }
    return request;
  }
}
