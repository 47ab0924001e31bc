package com.llmchat.rest;

import com.llmchat.conversations.boundary.Attachments;
import com.llmchat.conversations.boundary.ConversationException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Files attached to messages. Uploaded into a conversation (the body as it is, named by {@code
 * ?name=}, or a multipart form's {@code file}), then sent by naming their ids in a message's {@code
 * attachmentIds}. Downloads are always attachments ({@code Content-Disposition: attachment}),
 * images as their type, everything else as {@code application/octet-stream}, sandboxed.
 */
@RequestScoped
@Tag(name = "Conversations")
@Path("v1/conversations/{conversationId}/attachments")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class AttachmentsResource {

  @Inject Attachments attachments;

  /** Takes the request body as the file: {@code curl --data-binary @report.pdf '...?name=...'}. */
  @POST
  @Consumes(MediaType.WILDCARD)
  public Response upload(
      @PathParam("conversationId") long conversationId,
      @QueryParam("name") String name,
      @HeaderParam("Content-Length") Long length,
      InputStream body) {
    return created(conversationId, name, length, body);
  }

  /** Takes a multipart form's {@code file} part: {@code curl -F file=@report.pdf ...}. */
  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Response uploadForm(
      @PathParam("conversationId") long conversationId, @FormParam("file") EntityPart file) {
    if (file == null) {
      throw new ConversationException(
          ConversationException.Reason.INVALID, "The form has no part named file");
    }
    try {
      return created(conversationId, file.getFileName().orElse(null), null, file.getContent());
    } catch (IllegalStateException e) {
      throw new ConversationException(ConversationException.Reason.INVALID, e.getMessage());
    }
  }

  /** The files of the conversation, sent and waiting, oldest first. */
  @GET
  public List<AttachmentView> list(@PathParam("conversationId") long conversationId) {
    return attachments.list(conversationId).stream().map(AttachmentView::of).toList();
  }

  /** A file as it was uploaded, as a download. */
  @GET
  @Path("{attachmentId}")
  @Produces(MediaType.WILDCARD)
  public Response download(
      @PathParam("conversationId") long conversationId,
      @PathParam("attachmentId") long attachmentId) {
    Attachments.Download file = attachments.download(conversationId, attachmentId);
    boolean image = file.mediaType().startsWith("image/");
    return Response.ok(file.bytes(), image ? file.mediaType() : MediaType.APPLICATION_OCTET_STREAM)
        .header("Content-Disposition", disposition(file.name()))
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", "default-src 'none'; sandbox")
        .header("Cache-Control", "private, no-store")
        .build();
  }

  /** Removes a file not sent yet. */
  @DELETE
  @Path("{attachmentId}")
  public Response delete(
      @PathParam("conversationId") long conversationId,
      @PathParam("attachmentId") long attachmentId) {
    attachments.delete(conversationId, attachmentId);
    return Response.noContent().build();
  }

  private Response created(long conversationId, String name, Long length, InputStream body) {
    int max = attachments.maxBytes();
    if (length != null && length > max) {
      throw attachments.tooLargeToRead();
    }
    byte[] bytes;
    try (body) {
      bytes = body.readNBytes(max + 1);
    } catch (IOException e) {
      // the client went away, or sent a broken body: nothing is stored
      throw new ConversationException(
          ConversationException.Reason.INVALID, "The file could not be read to its end");
    }
    if (bytes.length > max) {
      throw attachments.tooLargeToRead();
    }
    AttachmentView view = AttachmentView.of(attachments.upload(conversationId, name, bytes));
    return Response.created(
            URI.create("v1/conversations/" + conversationId + "/attachments/" + view.id()))
        .entity(view)
        .build();
  }

  /**
   * {@code attachment}, with the name twice: plain ASCII for old clients, and in full as RFC 5987
   * {@code filename*}.
   */
  static String disposition(String name) {
    StringBuilder ascii = new StringBuilder(name.length());
    name.codePoints()
        .forEach(
            c ->
                ascii.append(
                    c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? (char) c : '_'));
    return "attachment; filename=\""
        + ascii
        + "\"; filename*=UTF-8''"
        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
