package com.llmchat.conversations.boundary;

import com.llmchat.conversations.entity.Message;
import com.llmchat.providers.entity.CompletionRequest;
import java.util.List;

/**
 * One question and its reply, as prepared before the model is called: both messages are stored, the
 * reply streaming. A resend of a question already answered is a replay: nothing is called.
 */
public record Exchange(
    long accountId,
    String username,
    long conversationId,
    Message question,
    Message reply,
    CompletionRequest request,
    List<String> promptTexts,
    boolean replay) {

  @Override
  public String toString() {
    return "Exchange[conversation " + conversationId + ", reply " + reply.id() + "]";
  }
}
