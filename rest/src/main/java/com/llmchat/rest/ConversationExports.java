package com.llmchat.rest;

import com.llmchat.conversations.boundary.ConversationTransfer;
import com.llmchat.conversations.control.ConversationFiles;
import com.llmchat.conversations.control.ConversationFiles.Transferred;
import com.llmchat.json.JsonFactory;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongFunction;

/**
 * Exports as attachments, never shown inline ({@code Content-Disposition: attachment}, a plain
 * type). An export of all is written page by page as it is read (a short transaction per page), so
 * that years of conversations need no more memory than a page.
 */
final class ConversationExports {

  static final String MARKDOWN = "text/markdown; charset=UTF-8";
  static final String JSON = "application/json; charset=UTF-8";

  private ConversationExports() {}

  /** One conversation, as Markdown or our JSON. */
  static Response one(Transferred conversation, long id, boolean json) {
    String body =
        json
            ? ConversationFiles.envelope()
                .add("conversations", JsonFactory.array().add(ConversationFiles.json(conversation)))
                .build()
                .toString()
            : ConversationFiles.markdown(conversation, "You", "Assistant");
    return attachment(body, "conversation-" + id, json);
  }

  /** Every conversation the pages give, from the first ({@code pages.apply(0)}) to the last. */
  static Response all(LongFunction<ConversationTransfer.Page> pages, String name, boolean json) {
    StreamingOutput body =
        out -> {
          if (json) {
            String envelope = ConversationFiles.envelope().build().toString();
            write(out, envelope.substring(0, envelope.length() - 1) + ",\"conversations\":[");
          }
          boolean first = true;
          long after = 0;
          do {
            ConversationTransfer.Page page = pages.apply(after);
            for (Transferred conversation : page.conversations()) {
              String text =
                  json
                      ? ConversationFiles.json(conversation).toString()
                      : ConversationFiles.markdown(conversation, "You", "Assistant");
              write(out, (first ? "" : json ? "," : "\n---\n\n") + text);
              first = false;
            }
            after = page.next();
          } while (after != 0);
          if (json) {
            write(out, "]}");
          }
        };
    return Response.ok(body, json ? JSON : MARKDOWN)
        .header("Content-Disposition", disposition(name, json))
        .build();
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Response attachment(String body, String name, boolean json) {
    return Response.ok(body.getBytes(StandardCharsets.UTF_8), json ? JSON : MARKDOWN)
        .header("Content-Disposition", disposition(name, json))
        .build();
  }

  private static String disposition(String name, boolean json) {
    return "attachment; filename=\"" + name + (json ? ".json" : ".md") + "\"";
  }
}
