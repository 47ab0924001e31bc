package com.llmchat.conversations.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.Callers.Identity;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.conversations.boundary.ConversationException.Reason;
import com.llmchat.conversations.control.ConversationFiles;
import com.llmchat.conversations.control.ConversationFiles.Transferred;
import com.llmchat.conversations.control.ConversationFiles.TransferredFile;
import com.llmchat.conversations.control.ConversationFiles.TransferredMessage;
import com.llmchat.conversations.control.OwnedConversations;
import com.llmchat.conversations.entity.Attachment;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.conversations.entity.MessageStatus;
import com.llmchat.providers.boundary.Models;
import com.llmchat.usage.control.TokenEstimator;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Conversations taken out as files and brought in from them: one of the caller's, or all of them a
 * page at a time; an import of our JSON (from this or another installation) or of ChatGPT's export,
 * all of it or nothing; and an administrator's export of a user's conversations (a data-subject
 * request). Exports hold the current messages only, in order.
 */
@Stateless
public class ConversationTransfer {

  /** Conversations per page of an export of all. */
  public static final int PAGE = 50;

  /** The most conversations and messages one import brings in. */
  public static final int MAX_CONVERSATIONS = 10_000;

  public static final int MAX_MESSAGES = 200_000;

  /** What an import made. */
  public record Imported(int conversations, int messages, List<Long> ids) {}

  @PersistenceContext EntityManager em;
  @Inject Attachments attachments;
  @Inject Callers callers;
  @Inject OwnedConversations owned;
  @Inject Models models;
  @Inject AuditLog audit;

  /** One of the caller's conversations as a file holds it. */
  public Transferred one(long conversationId) {
    return transferred(owned.find(callers.identity(), conversationId));
  }

  /** A page of an export of all: {@code next} is where the next page starts, 0 at the end. */
  public record Page(List<Transferred> conversations, long next) {}

  /** The caller's conversations with an id above {@code after}, oldest first, a page. */
  public Page page(long after) {
    return pageOf(callers.identity().accountId(), after);
  }

  /**
   * A page of another account's conversations, for an administrator answering a data-subject
   * request; the first page is audited.
   */
  public Page pageOfAccount(long accountId, long after) {
    var admin = callers.requireAdmin();
    if (after == 0) {
      audit.record(
          admin.username(),
          "user-data-exported",
          "account " + accountId,
          Outcome.SUCCESS,
          null,
          null);
    }
    return pageOf(accountId, after);
  }

  private Page pageOf(long owner, long after) {
    List<Conversation> found =
        em.createQuery(
                "select c from Conversation c where c.ownerId = :owner and c.id > :after"
                    + " order by c.id",
                Conversation.class)
            .setParameter("owner", owner)
            .setParameter("after", after)
            .setMaxResults(PAGE)
            .getResultList();
    // the page's current messages in one query, not one per conversation
    Map<Long, List<Message>> messages =
        found.isEmpty()
            ? Map.of()
            : em.createQuery(
                    "select m from Message m where m.conversationId in :conversations"
                        + " and m.superseded = false order by m.conversationId, m.position",
                    Message.class)
                .setParameter("conversations", found.stream().map(Conversation::id).toList())
                .getResultStream()
                .collect(Collectors.groupingBy(Message::conversationId));
    Map<Long, List<Attachment>> files =
        attachments.withContent(messages.values().stream().flatMap(List::stream).toList());
    List<Transferred> page = new ArrayList<>();
    found.forEach(
        conversation ->
            page.add(
                transferred(
                    conversation, messages.getOrDefault(conversation.id(), List.of()), files)));
    long next = found.size() < PAGE ? 0 : found.get(found.size() - 1).id();
    return new Page(page, next);
  }

  private Transferred transferred(Conversation conversation) {
    List<Message> current =
        em.createQuery(
                "select m from Message m where m.conversationId = :conversation"
                    + " and m.superseded = false order by m.position",
                Message.class)
            .setParameter("conversation", conversation.id())
            .getResultList();
    return transferred(conversation, current, attachments.withContent(current));
  }

  /** A conversation with its current messages, in order, and their files. */
  private static Transferred transferred(
      Conversation conversation, List<Message> current, Map<Long, List<Attachment>> files) {
    List<TransferredMessage> messages = new ArrayList<>();
    for (Message message : current) {
      messages.add(
          new TransferredMessage(
              message.role().name().toLowerCase(Locale.ROOT),
              message.content(),
              message.reasoning(),
              message.status().name().toLowerCase(Locale.ROOT),
              message.role() == Message.Role.ASSISTANT ? message.model() : null,
              message.error(),
              message.createdAt(),
              files.getOrDefault(message.id(), List.of()).stream()
                  .map(f -> new TransferredFile(f.name(), f.mediaType(), f.content()))
                  .toList()));
    }
    return new Transferred(
        conversation.title(),
        conversation.titleSource().name().toLowerCase(Locale.ROOT),
        conversation.model(),
        conversation.systemPrompt(),
        conversation.temperature(),
        conversation.maxTokens(),
        conversation.createdAt(),
        conversation.updatedAt(),
        messages);
  }

  /**
   * Brings the conversations in as the caller's, all or none. A model the caller may not use is
   * replaced by the installation's default model (kept as it is when there is none: the chat shows
   * it as unavailable until another is picked).
   */
  public Imported bringIn(List<Transferred> conversations) {
    Identity account = callers.identity();
    int total = conversations.stream().mapToInt(c -> c.messages().size()).sum();
    if (conversations.isEmpty()
        || conversations.size() > MAX_CONVERSATIONS
        || total > MAX_MESSAGES) {
      throw new ConversationException(
          Reason.INVALID,
          "An import brings 1 to "
              + MAX_CONVERSATIONS
              + " conversations with at most "
              + MAX_MESSAGES
              + " messages; this file has "
              + conversations.size()
              + " with "
              + total);
    }
    String fallback = models.defaultAlias().orElse(null);
    List<Long> ids = new ArrayList<>();
    int written = 0;
    for (int i = 0; i < conversations.size(); i++) {
      Transferred file = conversations.get(i);
      String model = model(account, file.model(), fallback);
      Conversation conversation;
      try {
        conversation =
            Conversation.imported(
                account.accountId(),
                file.title(),
                source(file.titleSource()),
                model,
                file.createdAt(),
                file.updatedAt());
        conversation.configure(file.systemPrompt(), file.temperature(), file.maxTokens());
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new ConversationException(
            Reason.INVALID, "conversation " + (i + 1) + ": " + e.getMessage());
      }
      em.persist(conversation);
      em.flush();
      for (int m = 0; m < file.messages().size(); m++) {
        TransferredMessage message = file.messages().get(m);
        Message stored =
            Message.imported(
                conversation,
                message.role().equals("user") ? Message.Role.USER : Message.Role.ASSISTANT,
                message.content(),
                message.reasoning(),
                MessageStatus.valueOf(message.status().toUpperCase(Locale.ROOT)),
                message.model(),
                message.error(),
                message.createdAt());
        stored.countTokens(TokenEstimator::text);
        em.persist(stored);
        bringInFiles(
            conversation,
            stored,
            message.files(),
            "conversation " + (i + 1) + ", message " + (m + 1));
        written++;
      }
      conversation.activeAt(file.updatedAt());
      ids.add(conversation.id());
      if (written > 500) {
        // a large import: keep the persistence context small
        em.flush();
        em.clear();
        written = 0;
      }
    }
    audit.record(
        account.username(),
        "conversations-imported",
        conversations.size() + " conversations",
        Outcome.SUCCESS,
        null,
        total + " messages");
    return new Imported(conversations.size(), total, ids);
  }

  /**
   * The files of an imported message, each read again for what it is (as an upload is): a file that
   * would be refused as an upload fails the import, saying where.
   */
  private void bringInFiles(
      Conversation conversation, Message message, List<TransferredFile> files, String where) {
    if (files.isEmpty()) {
      return;
    }
    if (message.role() != Message.Role.USER) {
      throw new ConversationException(
          Reason.INVALID, where + ": only the user's messages carry files");
    }
    // the message's row first: the files refer to it by a plain id, which EclipseLink cannot order
    em.flush();
    List<Attachment> read = new ArrayList<>();
    for (TransferredFile file : files) {
      try {
        read.add(attachments.imported(conversation, file.name(), file.content()));
      } catch (ConversationException e) {
        throw new ConversationException(
            Reason.INVALID, where + ", file " + file.name() + ": " + e.getMessage());
      }
    }
    attachments.sendWith(message, read, null);
  }

  private String model(Identity account, String alias, String fallback) {
    if (alias != null && !alias.isBlank() && models.chats(account.accountId(), alias.strip())) {
      return alias.strip();
    }
    if (fallback != null) {
      return fallback;
    }
    return alias == null || alias.isBlank() ? "unknown" : alias.strip();
  }

  private static Conversation.TitleSource source(String name) {
    try {
      return Conversation.TitleSource.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Conversation.TitleSource.USER;
    }
  }

  /** Reads a file's conversations, or says what is wrong with it. */
  public static List<Transferred> read(jakarta.json.JsonValue file) {
    try {
      return ConversationFiles.read(file);
    } catch (ConversationFiles.UnreadableFile e) {
      throw new ConversationException(Reason.INVALID, e.getMessage());
    }
  }
}
