package com.llmchat.web.v1;

import com.llmchat.gateway.boundary.Gateway;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
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
 * {@code POST /v1/embeddings}: vectors of text for an application's retrieval, from the routes of
 * the embedding model it names, with fallback, retries and breakers as in chat; the request sent on
 * as it came ({@code input}, {@code dimensions}, {@code encoding_format}, extras) and the answer
 * passed back as it came ({@link GatewayAnswers}).
 */
@RequestScoped
@Tag(name = "Embeddings")
@Path("embeddings")
public class EmbeddingsResource {

  @Inject Gateway gateway;
  @Inject GatewayAnswers answers;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Creates embeddings",
      description = "For models marked as embedding models; the request and answer as they came.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              examples =
                  @ExampleObject(
                      name = "two passages",
                      value = "{\"model\":\"bge-m3\",\"input\":[\"first\",\"second\"]}")))
  @APIResponse(
      responseCode = "200",
      description = "A list of embeddings",
      content = @Content(mediaType = MediaType.APPLICATION_JSON))
  @APIResponse(responseCode = "400", description = "invalid_request_error")
  @APIResponse(responseCode = "401", description = "invalid_api_key")
  @APIResponse(responseCode = "404", description = "model_not_found")
  @APIResponse(responseCode = "502", description = "no model server answered")
  public void embed(String body, @Suspended AsyncResponse response) {
    answers.answer(body, EmbeddingsResource::embeddings, gateway::embeddings, response);
  }

  /** The request, with an input: a text, or a non-empty array of texts or token ids. */
  private static JsonObject embeddings(String body) {
    JsonObject request = OpenAiRequests.withModel(body);
    boolean text =
        request.get("input") instanceof JsonString string && !string.getString().isEmpty();
    boolean texts = request.get("input") instanceof JsonArray array && !array.isEmpty();
    if (!text && !texts) {
      throw new OpenAiRequests.Invalid(
          "input must be a non-empty string or a non-empty array.", "input");
    }
    return request;
  }
}
