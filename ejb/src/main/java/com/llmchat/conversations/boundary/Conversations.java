package com.llmchat.conversations.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.Callers.Identity;
import com.llmchat.conversations.boundary.ConversationException.Reason;
import com.llmchat.conversations.control.OwnedConversations;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.platform.control.Containing;
import com.llmchat.presets.boundary.Presets;
import com.llmchat.presets.entity.Preset;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.ProviderException;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's conversations and their messages: created, listed, read, set up and deleted. Every call
 * finds only the caller's own conversations; another user's id is "not found". What is asked and
 * answered in them is {@link Exchanges}.
 */
@Stateless
public class Conversations {

  public static final int MAX_PAGE = 200;

  /** A page of conversations, most recently active first, and the cursor of the next page. */
  public record Page(List<Conversation> items, String next) {}

  /** What a conversation is set to; null keeps the current value (an empty prompt clears it). */
  public record Changes(
      String title, String model, String systemPrompt, Double temperature, Integer maxTokens) {}

  /** A new conversation from a preset the caller may use: its settings, unless given here. */
  public Conversation create(long presetId, Changes given) {
    Preset preset = presets.find(presetId);
    Conversation conversation =
        create(
            new Changes(
                given.title(),
                given.model() != null ? given.model() : preset.model(),
                given.systemPrompt() != null ? given.systemPrompt() : preset.systemPrompt(),
                given.temperature() != null ? given.temperature() : preset.temperature(),
                given.maxTokens() != null ? given.maxTokens() : preset.maxTokens()));
    conversation.startedFrom(preset.id());
    return conversation;
  }

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject Models models;
  @Inject OwnedConversations owned;
  @Inject Presets presets;

  public Conversation create(Changes settings) {
    Identity account = callers.identity();
    String model = settings.model();
    if (model == null || !models.chats(account.accountId(), model)) {
      throw new ProviderException(
          ProviderException.Reason.UNKNOWN_MODEL, "Unknown model: " + model);
    }
    Conversation conversation;
    try {
      conversation = new Conversation(account.accountId(), settings.title(), model);
      conversation.configure(settings.systemPrompt(), settings.temperature(), settings.maxTokens());
    } catch (IllegalArgumentException e) {
      throw new ConversationException(Reason.INVALID, e.getMessage());
    }
    em.persist(conversation);
    em.flush();
    return conversation;
  }

  /**
   * The caller's conversations whose title contains {@code titleFilter} (any case), newest first.
   */
  public Page list(String titleFilter, String cursor, int limit) {
    Identity account = callers.identity();
    int size = Math.max(1, Math.min(limit, MAX_PAGE));
    var query =
        cursor == null
            ? em.createNamedQuery(Conversation.RECENT, Conversation.class)
            : em.createNamedQuery(Conversation.RECENT_BEFORE, Conversation.class)
                .setParameter("updated", PageCursor.instant(cursor))
                .setParameter("id", PageCursor.id(cursor));
    List<Conversation> found =
        query
            .setParameter("owner", account.accountId())
            .setParameter("title", Containing.pattern(titleFilter))
            .setMaxResults(size + 1)
            .getResultList();
    if (found.size() <= size) {
      return new Page(found, null);
    }
    Conversation last = found.get(size - 1);
    return new Page(found.subList(0, size), PageCursor.of(last.updatedAt(), last.id()));
  }

  public Conversation get(long id) {
    return owned.find(callers.identity(), id);
  }

  public Conversation update(long id, Changes changes) {
    Identity account = callers.identity();
    Conversation conversation = owned.find(account, id);
    try {
      if (changes.title() != null) {
        conversation.rename(changes.title());
      }
      if (changes.model() != null && !changes.model().equals(conversation.model())) {
        if (!models.chats(account.accountId(), changes.model())) {
          throw new ProviderException(
              ProviderException.Reason.UNKNOWN_MODEL, "Unknown model: " + changes.model());
        }
        conversation.switchModel(changes.model());
      }
      conversation.configure(
          changes.systemPrompt() == null ? conversation.systemPrompt() : changes.systemPrompt(),
          changes.temperature() == null ? conversation.temperature() : changes.temperature(),
          changes.maxTokens() == null ? conversation.maxTokens() : changes.maxTokens());
    } catch (IllegalArgumentException e) {
      throw new ConversationException(Reason.INVALID, e.getMessage());
    }
    conversation.touch();
    return conversation;
  }

  public void delete(long id) {
    Conversation conversation = owned.lock(callers.identity(), id);
    em.remove(conversation);
  }

  /** The newest {@code limit} visible messages before a position (all when null), oldest first. */
  public List<Message> messages(long id, Integer before, int limit) {
    Conversation conversation = owned.find(callers.identity(), id);
    List<Message> newestFirst =
        em.createNamedQuery(Message.PAGE, Message.class)
            .setParameter("conversation", conversation.id())
            .setParameter("before", before == null ? Integer.MAX_VALUE : before)
            .setMaxResults(Math.max(1, Math.min(limit, MAX_PAGE)))
            .getResultList();
    List<Message> page = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(page);
    return page;
  }

  public Message message(long conversationId, long messageId) {
    Conversation conversation = owned.find(callers.identity(), conversationId);
    return owned.message(conversation, messageId);
  }
}
