package com.llmchat.conversations.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.llmchat.conversations.entity.Attachment;
import com.llmchat.conversations.entity.AttachmentKind;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.conversations.entity.MessageStatus;
import com.llmchat.providers.entity.CompletionRequest.Turn;
import com.llmchat.providers.entity.Route;
import com.llmchat.usage.control.TokenEstimator;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptsTest {

  private final Conversation conversation = new Conversation(1, "Prompts", "demo");
  // newest first, as a send reads it
  private final List<Message> history = new ArrayList<>();

  PromptsTest() throws ReflectiveOperationException {
    // as stored: the database gives the id
    var id = Conversation.class.getDeclaredField("id");
    id.setAccessible(true);
    id.set(conversation, 7L);
  }

  private Message question(String text) {
    Message question = Message.fromUser(conversation, text, null, null);
    question.countTokens(TokenEstimator::text);
    history.add(0, question);
    return question;
  }

  private Message answer(Message question, String text) {
    Message reply = Message.replyTo(conversation, question, "demo", OffsetDateTime.now());
    reply.complete(MessageStatus.COMPLETE, text, null, "stop", null, null, "p");
    reply.countTokens(TokenEstimator::text);
    history.add(0, reply);
    return reply;
  }

  private static Route window(Integer contextLimit) {
    return new Route(
        1,
        "p",
        "http://m/v1",
        null,
        "demo",
        true,
        true,
        1000,
        1000,
        null,
        null,
        contextLimit,
        true,
        false);
  }

  @Test
  void systemPromptFirstThenTheCurrentMessagesThenTheQuestion() {
    conversation.configure("Be brief.", null, null);
    Message first = question("One?");
    answer(first, "One.");
    Message failed = question("Two?");
    answer(failed, "");
    Message replaced = question("Three?");
    replaced.supersede();
    Message asked = Message.fromUser(conversation, "Four?", null, replaced.id());

    assertEquals(
        List.of(
            new Turn("system", "Be brief."),
            new Turn("user", "One?"),
            new Turn("assistant", "One."),
            new Turn("user", "Two?"),
            new Turn("user", "Four?")),
        Prompts.of(conversation, history, asked, window(null)).turns());
  }

  @Test
  void askedAgainTheQuestionComesOnceAndWhatFollowedItIsLeftOut() {
    Message first = question("One?");
    answer(first, "One.");
    Message second = question("Two?");
    answer(second, "Old answer to two.");

    // regenerate: the question is in the history already, its old reply after it
    assertEquals(
        List.of(new Turn("user", "One?"), new Turn("assistant", "One."), new Turn("user", "Two?")),
        Prompts.of(conversation, history, second, window(null)).turns());
  }

  @Test
  void messagesStoredBeforeTokensWereCountedAreEstimatedWhenRead() {
    Message old = Message.fromUser(conversation, "hello world", null, null);
    assertEquals(2, Prompts.tokens(old));
    old.countTokens(text -> 7);
    assertEquals(7, Prompts.tokens(old), "the stored count, not a new estimate");
  }

  @Test
  void theModelsWindowCutsTheOldestTurns() {
    String words = "word ".repeat(100);
    Message first = question(words);
    answer(first, words);
    Message asked = question("And now?");

    assertEquals(
        List.of(new Turn("user", "And now?")),
        Prompts.of(conversation, history, asked, window(100)).turns());
  }

  @Test
  void textFilesGoBeforeTheirMessageAndImagesAfterItOrAreNamedForModelsThatSeeNone()
      throws ReflectiveOperationException {
    Message earlier = question("Read this");
    setId(earlier, 11L);
    answer(earlier, "Read.");
    Message asked = Message.fromUser(conversation, "", null, null, true);
    setId(asked, 12L);
    byte[] png = {1, 2, 3};
    var notes =
        new Attachment(
            conversation,
            "a \"b\".md",
            new byte[] {'x'},
            AttachmentKind.TEXT,
            "text/plain",
            "GPU: 48",
            0,
            0,
            5);
    var chart =
        new Attachment(
            conversation, "chart.png", png, AttachmentKind.IMAGE, "image/png", null, 8, 8, 255);
    earlier.attachFiles(5);
    asked.attachFiles(255);
    var files = java.util.Map.of(11L, List.of(notes), 12L, List.of(chart));

    var seeing = Prompts.of(conversation, history, asked, window(null), files, true).turns();
    assertEquals(
        "<file name=\"a 'b'.md\">\nGPU: 48\n</file>\n\nRead this", seeing.get(0).content());
    assertEquals("", seeing.get(2).content());
    assertEquals(1, seeing.get(2).images().size());
    assertEquals("image/png", seeing.get(2).images().get(0).mediaType());
    assertEquals("data:image/png;base64,AQID", seeing.get(2).images().get(0).dataUrl());

    var blind = Prompts.of(conversation, history, asked, window(null), files, false).turns();
    assertEquals("[image chart.png: not shown to this model]", blind.get(2).content());
    assertEquals(List.of(), blind.get(2).images());
    // the files' tokens count with the message's own
    assertEquals(TokenEstimator.text("Read this") + 5, Prompts.tokens(earlier));
  }

  private static void setId(Message message, long value) throws ReflectiveOperationException {
    var id = Message.class.getDeclaredField("id");
    id.setAccessible(true);
    id.set(message, value);
  }
}
