package com.llmchat.rest;

import com.llmchat.conversations.boundary.Attachments;
import com.llmchat.conversations.boundary.ConversationException;
import com.llmchat.conversations.boundary.ConversationTransfer;
import com.llmchat.conversations.boundary.Conversations;
import com.llmchat.conversations.boundary.Exchange;
import com.llmchat.conversations.boundary.Exchanges;
import com.llmchat.conversations.entity.AttachmentInfo;
import com.llmchat.conversations.entity.Message;
import com.llmchat.json.JsonFactory;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Conversations and their messages. Sending, regenerating and editing answer with the reply as
 * server-sent events: {@code message} (both messages as stored), {@code delta}s, {@code usage},
 * {@code error}, and {@code done} with the reply as stored at the end.
 */
@RequestScoped
@Tag(name = "Conversations")
@Path("v1/conversations")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class ConversationsResource {

  /** A new conversation, or changes to one (null keeps the current value). */
  public record ConversationInput(
      Long presetId,
      @Size(max = 200) String title,
      @Size(max = 100) String model,
      @Size(max = 100_000) String systemPrompt,
      @DecimalMin("0") @DecimalMax("2") Double temperature,
      @Min(1) @Max(1_000_000) Integer maxTokens) {

    Conversations.Changes changes() {
      return new Conversations.Changes(title, model, systemPrompt, temperature, maxTokens);
    }
  }

  /**
   * A message to send; the client message id makes a resend harmless; {@code attachmentIds}: files
   * uploaded into the conversation to send with it (its text may then be empty).
   */
  public record MessageInput(
      @NotNull @Size(max = 100_000) String content,
      @Size(min = 1, max = 100) String clientMessageId,
      @Size(max = 100) List<@NotNull Long> attachmentIds) {

    List<Long> files() {
      return attachmentIds == null ? List.of() : attachmentIds;
    }
  }

  public record ConversationPage(List<ConversationView> items, String next) {}

  /** Messages oldest first; {@code before} asks for the page before these. */
  public record MessagePage(List<MessageView> items, Integer before) {}

  public record StopView(boolean stopped) {}

  /** What an import brought in. */
  public record ImportedView(int conversations, int messages, List<Long> ids) {}

  @Inject Conversations conversations;
  @Inject Exchanges exchanges;
  @Inject ReplyStreams replies;
  @Inject ConversationTransfer transfer;
  @Inject Attachments attachments;

  /**
   * Every conversation of the caller's as one file: {@code json} (our format, which {@code import}
   * reads back, here or in another installation) or {@code markdown}.
   */
  @GET
  @Path("export")
  @Produces({MediaType.APPLICATION_JSON, "text/markdown"})
  public Response exportAll(
      @QueryParam("format") @DefaultValue("json") @Pattern(regexp = "json|markdown")
          String format) {
    return ConversationExports.all(transfer::page, "conversations", format.equals("json"));
  }

  /**
   * Conversations from a file, as the caller's: our JSON export, or ChatGPT's {@code
   * conversations.json}. All of it or nothing; 400 says what in the file is wrong.
   */
  @POST
  @Path("import")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response importFile(String file) {
    JsonValue parsed;
    try {
      parsed = JsonFactory.parse(file == null ? "" : file);
    } catch (RuntimeException e) {
      throw new ConversationException(
          ConversationException.Reason.INVALID, "The file is not JSON: " + e.getMessage());
    }
    var imported = transfer.bringIn(ConversationTransfer.read(parsed));
    return Response.status(Response.Status.CREATED)
        .entity(new ImportedView(imported.conversations(), imported.messages(), imported.ids()))
        .build();
  }

  /** One conversation as a file: {@code markdown} or {@code json}. */
  @GET
  @Path("{conversationId}/export")
  @Produces({MediaType.APPLICATION_JSON, "text/markdown"})
  public Response export(
      @PathParam("conversationId") long conversationId,
      @QueryParam("format") @DefaultValue("markdown") @Pattern(regexp = "json|markdown")
          String format) {
    return ConversationExports.one(
        transfer.one(conversationId), conversationId, format.equals("json"));
  }

  @GET
  public ConversationPage list(
      @QueryParam("q") @Size(max = 200) String titleFilter,
      @QueryParam("cursor") @Size(max = 100) String cursor,
      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
    var page = conversations.list(titleFilter, cursor, limit);
    return new ConversationPage(
        page.items().stream().map(ConversationView::of).toList(), page.next());
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@Valid @NotNull ConversationInput input) {
    return Response.status(Response.Status.CREATED)
        .entity(
            ConversationView.of(
                input.presetId() == null
                    ? conversations.create(input.changes())
                    : conversations.create(input.presetId(), input.changes())))
        .build();
  }

  @GET
  @Path("{conversationId}")
  public ConversationView get(@PathParam("conversationId") long conversationId) {
    return ConversationView.of(conversations.get(conversationId));
  }

  @PATCH
  @Path("{conversationId}")
  @Consumes(MediaType.APPLICATION_JSON)
  public ConversationView update(
      @PathParam("conversationId") long conversationId, @Valid @NotNull ConversationInput input) {
    return ConversationView.of(conversations.update(conversationId, input.changes()));
  }

  @DELETE
  @Path("{conversationId}")
  public Response delete(@PathParam("conversationId") long conversationId) {
    conversations.delete(conversationId);
    return Response.noContent().build();
  }

  @GET
  @Path("{conversationId}/messages")
  public MessagePage messages(
      @PathParam("conversationId") long conversationId,
      @QueryParam("before") @Min(0) Integer before,
      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
    List<Message> page = conversations.messages(conversationId, before, limit);
    Integer older = page.size() < limit || page.isEmpty() ? null : page.get(0).position();
    Map<Long, List<AttachmentInfo>> files = attachments.ofMessages(conversationId, page);
    return new MessagePage(
        page.stream().map(m -> MessageView.of(m, files.getOrDefault(m.id(), List.of()))).toList(),
        older);
  }

  @GET
  @Path("{conversationId}/messages/{messageId}")
  public MessageView message(
      @PathParam("conversationId") long conversationId, @PathParam("messageId") long messageId) {
    Message message = conversations.message(conversationId, messageId);
    return MessageView.of(
        message,
        attachments
            .ofMessages(conversationId, List.of(message))
            .getOrDefault(message.id(), List.of()));
  }

  @POST
  @Path("{conversationId}/messages")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void send(
      @PathParam("conversationId") long conversationId,
      @Valid @NotNull MessageInput input,
      @Suspended AsyncResponse response) {
    // prepared before the stream opens: a refusal is a plain problem+json answer
    Exchange exchange =
        exchanges.send(conversationId, input.content(), input.clientMessageId(), input.files());
    replies.answer(exchange, response);
  }

  @POST
  @Path("{conversationId}/messages/{messageId}/regenerate")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void regenerate(
      @PathParam("conversationId") long conversationId,
      @PathParam("messageId") long messageId,
      @Suspended AsyncResponse response) {
    replies.answer(exchanges.regenerate(conversationId, messageId), response);
  }

  @POST
  @Path("{conversationId}/messages/{messageId}/edit")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void edit(
      @PathParam("conversationId") long conversationId,
      @PathParam("messageId") long messageId,
      @Valid @NotNull MessageInput input,
      @Suspended AsyncResponse response) {
    Exchange exchange =
        exchanges.edit(
            conversationId, messageId, input.content(), input.clientMessageId(), input.files());
    replies.answer(exchange, response);
  }

  /**
   * Takes a reply's stream up again after the last event the client read ({@code Last-Event-ID},
   * none: from the start): the events since, then the live tail, on whichever server of the cluster
   * the reply streams. A reply whose events are no longer kept answers with {@code done} only (the
   * reply as stored, {@code "missed":true}); 409 {@code reply-not-resumable} while such a reply
   * still streams, or when the server streaming it is gone.
   */
  @GET
  @Path("{conversationId}/messages/{messageId}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(
      @PathParam("conversationId") long conversationId,
      @PathParam("messageId") long messageId,
      @HeaderParam("Last-Event-ID") @Pattern(regexp = "\\d{1,18}") String lastEventId,
      @Suspended AsyncResponse response) {
    long lastId = lastEventId == null ? 0 : Long.parseLong(lastEventId);
    replies.resume(conversationId, messageId, lastId, response);
  }

  /** Stops the reply streaming for this message; its partial text is kept. */
  @POST
  @Path("{conversationId}/messages/{messageId}/stop")
  public StopView stop(
      @PathParam("conversationId") long conversationId, @PathParam("messageId") long messageId) {
    return new StopView(exchanges.stop(conversationId, messageId));
  }
}
