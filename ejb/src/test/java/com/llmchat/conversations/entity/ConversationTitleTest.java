package com.llmchat.conversations.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.conversations.entity.Conversation.TitleSource;
import org.junit.jupiter.api.Test;

class ConversationTitleTest {

  @Test
  void theFirstMessageTitlesAnUntitledConversationUntilTheModelNamesIt() {
    var conversation = new Conversation(1, null, "demo");
    assertEquals(TitleSource.DEFAULT, conversation.titleSource());
    conversation.titleAfter("  How do   I update the data model?  ");
    assertEquals("How do I update the data model?", conversation.title());
    assertTrue(conversation.awaitsModelTitle());
    conversation.titleAfter("A second message changes nothing");
    assertEquals("How do I update the data model?", conversation.title());

    assertTrue(conversation.nameByModel("Updating the data model"));
    assertEquals("Updating the data model", conversation.title());
    assertEquals(TitleSource.MODEL, conversation.titleSource());
    assertFalse(conversation.nameByModel("Another name"), "named once");
  }

  @Test
  void aTitleTheUserGaveIsNeverReplaced() {
    var named = new Conversation(1, "Mine", "demo");
    named.titleAfter("first message");
    assertFalse(named.nameByModel("The model's"));
    assertEquals("Mine", named.title());

    var renamedMeanwhile = new Conversation(1, "", "demo");
    renamedMeanwhile.titleAfter("first message");
    renamedMeanwhile.rename("Mine after all");
    assertFalse(renamedMeanwhile.nameByModel("The model's"));
    assertEquals("Mine after all", renamedMeanwhile.title());
    assertEquals(TitleSource.USER, renamedMeanwhile.titleSource());
  }

  @Test
  void anEmptyAnswerNamesNothing() {
    var conversation = new Conversation(1, null, "demo");
    conversation.titleAfter("question");
    assertFalse(conversation.nameByModel("  "));
    assertFalse(conversation.nameByModel(null));
    assertTrue(conversation.awaitsModelTitle());
  }
}
