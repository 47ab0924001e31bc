package com.llmchat.conversations.control;

import com.llmchat.conversations.control.ContextWindow.Counted;
import com.llmchat.conversations.entity.Attachment;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.providers.entity.CompletionRequest.Image;
import com.llmchat.providers.entity.CompletionRequest.Turn;
import com.llmchat.providers.entity.Route;
import com.llmchat.usage.control.TokenEstimator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What the model is asked: the conversation's system prompt, the current messages before the
 * question, and the question last, cut to the model's context window (the oldest turns go first).
 * The messages' token counts were taken when they were written: nothing is tokenized here but the
 * system prompt.
 */
public final class Prompts {

  private Prompts() {}

  /**
   * The tokens of history to read for a question to the route's model: null without a known context
   * limit (all of it).
   */
  public static Integer historyBudget(Conversation conversation, Route answering) {
    return ContextWindow.budget(answering.contextLimit(), replyTokens(conversation, answering));
  }

  /**
   * {@code newestFirst}: current messages of the conversation, newest first, at least as many as
   * {@link #historyBudget} takes (those at or after the question's position and superseded ones are
   * left out); {@code answering}: the route whose model sets the window, the one that answers
   * unless it is down.
   */
  public static ContextWindow.Fitted of(
      Conversation conversation, List<Message> newestFirst, Message question, Route answering) {
    return of(conversation, newestFirst, question, answering, Map.of(), false);
  }

  /**
   * The same with the files attached to the messages ({@code files}, by message id): a text file's
   * text goes before the message's own text, an image after it as an image part when {@code images}
   * (every route takes them), else a line naming it.
   */
  public static ContextWindow.Fitted of(
      Conversation conversation,
      List<Message> newestFirst,
      Message question,
      Route answering,
      Map<Long, List<Attachment>> files,
      boolean images) {
    List<Counted> turns = new ArrayList<>();
    if (conversation.systemPrompt() != null) {
      turns.add(
          new Counted(
              new Turn("system", conversation.systemPrompt()),
              TokenEstimator.text(conversation.systemPrompt())));
    }
    List<Counted> history = new ArrayList<>(newestFirst.size());
    for (Message message : newestFirst) {
      if (message.position() >= question.position() || message.superseded()) {
        continue;
      }
      if (message.role() == Message.Role.USER) {
        history.add(counted(message, files, images));
      } else if (!message.content().isEmpty()) {
        history.add(counted("assistant", message));
      }
    }
    Collections.reverse(history);
    turns.addAll(history);
    turns.add(counted(question, files, images));
    return ContextWindow.fit(turns, answering.contextLimit(), replyTokens(conversation, answering));
  }

  /** The tokens of a message's text and attached files, as counted when it was written. */
  public static int tokens(Message message) {
    return message.contentTokens(TokenEstimator::text) + message.attachmentTokens();
  }

  private static Counted counted(
      Message message, Map<Long, List<Attachment>> files, boolean images) {
    List<Attachment> attached =
        message.hasFiles() ? files.getOrDefault(message.id(), List.of()) : List.of();
    if (attached.isEmpty()) {
      return counted("user", message);
    }
    StringBuilder text = new StringBuilder();
    List<Image> parts = new ArrayList<>();
    for (Attachment file : attached) {
      if (!file.isImage()) {
        text.append("<file name=\"")
            .append(file.name().replace("\"", "'"))
            .append("\">\n")
            .append(file.text())
            .append("\n</file>\n\n");
      } else if (images) {
        parts.add(new Image(file.mediaType(), file.content()));
      } else {
        text.append("[image ").append(file.name()).append(": not shown to this model]\n\n");
      }
    }
    text.append(message.content());
    return new Counted(new Turn("user", text.toString().strip(), parts), tokens(message));
  }

  private static Counted counted(String role, Message message) {
    return new Counted(new Turn(role, message.content()), tokens(message));
  }

  private static Integer replyTokens(Conversation conversation, Route answering) {
    return conversation.maxTokens() != null ? conversation.maxTokens() : answering.maxTokens();
  }
}
