package com.llmchat.conversations.control;

import com.llmchat.accounts.control.Callers.Identity;
import com.llmchat.conversations.boundary.ConversationException;
import com.llmchat.conversations.boundary.ConversationException.Reason;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import jakarta.enterprise.context.Dependent;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

/**
 * A caller's own conversations and their messages, found in the caller's transaction: another
 * user's id is "not found", never "forbidden", so that ids reveal nothing.
 */
@Dependent
public class OwnedConversations {

  @PersistenceContext EntityManager em;

  public Conversation find(Identity account, long id) {
    return owned(account, em.find(Conversation.class, id), id);
  }

  /** The conversation, its row locked until the transaction ends: sends on it are ordered. */
  public Conversation lock(Identity account, long id) {
    return owned(account, em.find(Conversation.class, id, LockModeType.PESSIMISTIC_WRITE), id);
  }

  public Message message(Conversation conversation, long messageId) {
    Message message = em.find(Message.class, messageId);
    if (message == null || message.conversationId() != conversation.id()) {
      throw new ConversationException(Reason.MESSAGE_NOT_FOUND, "No message " + messageId);
    }
    return message;
  }

  private static Conversation owned(Identity account, Conversation conversation, long id) {
    if (conversation == null || !conversation.isOwnedBy(account.accountId())) {
      throw new ConversationException(Reason.CONVERSATION_NOT_FOUND, "No conversation " + id);
    }
    return conversation;
  }
}
