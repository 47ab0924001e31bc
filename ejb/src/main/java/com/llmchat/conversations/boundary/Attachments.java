package com.llmchat.conversations.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.Callers.Identity;
import com.llmchat.conversations.boundary.ConversationException.Reason;
import com.llmchat.conversations.control.FileContents;
import com.llmchat.conversations.control.FileContents.UnreadableFileException;
import com.llmchat.conversations.control.OwnedConversations;
import com.llmchat.conversations.control.Prompts;
import com.llmchat.conversations.entity.Attachment;
import com.llmchat.conversations.entity.AttachmentInfo;
import com.llmchat.conversations.entity.AttachmentKind;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.entity.Route;
import com.llmchat.usage.control.TokenEstimator;
import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Files attached to the caller's messages. A file is uploaded into one of the caller's
 * conversations, read for what it is (never by its name: {@link FileContents}), measured against
 * the conversation's model (its context window; images only for models that take them), and kept
 * until the message that sends it — or for a day when none does. Its bytes are served back only as
 * a download.
 */
@Stateless
public class Attachments {

  private static final Logger LOG = Logger.getLogger(Attachments.class.getName());

  /** A file as it is downloaded: its name, its media type as read, its bytes. */
  public record Download(String name, String mediaType, byte[] bytes) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject OwnedConversations owned;
  @Inject Models models;

  /** The largest file taken, in bytes. */
  @Inject
  @ConfigProperty(name = "llmchat.attachments.max-bytes", defaultValue = "10485760")
  int maxBytes;

  /** The most files one message carries. */
  @Inject
  @ConfigProperty(name = "llmchat.attachments.max-per-message", defaultValue = "10")
  int maxPerMessage;

  /** How long a file nobody sent is kept, in hours. */
  @Inject
  @ConfigProperty(name = "llmchat.attachments.unsent-hours", defaultValue = "24")
  int unsentHours;

  public int maxBytes() {
    return maxBytes;
  }

  /**
   * Takes a file into one of the caller's conversations, for the next message to send. Refused: a
   * file too large (in bytes, or in tokens for the conversation's model), of a kind not taken, that
   * cannot be read, an image for a model that takes none, or one file too many.
   */
  public AttachmentInfo upload(long conversationId, String name, byte[] bytes) {
    Identity account = callers.identity();
    Conversation conversation = owned.lock(account, conversationId);
    if (bytes.length > maxBytes) {
      throw tooLarge(bytes.length);
    }
    long pending =
        em.createNamedQuery(Attachment.PENDING_COUNT, Long.class)
            .setParameter("conversation", conversation.id())
            .getSingleResult();
    if (pending >= maxPerMessage) {
      throw new ConversationException(
          Reason.TOO_MANY_FILES,
          "A message carries at most " + maxPerMessage + " files; send these first");
    }
    String fileName = fileName(name);
    FileContents.Read read = read(fileName, bytes);
    List<Route> routes = models.routes(account.accountId(), conversation.model());
    if (read.kind() == AttachmentKind.IMAGE && routes.stream().noneMatch(Route::seesImages)) {
      throw imagesRefused(conversation);
    }
    int tokens = tokens(read);
    Integer budget = Prompts.historyBudget(conversation, routes.get(0));
    if (budget != null && tokens > budget) {
      throw new ConversationException(
          Reason.TOO_LARGE_FOR_MODEL,
          String.format(
              Locale.ROOT,
              "%s is about %,d tokens; the context window of %s takes %,d with room for the"
                  + " reply. Attach a part of it, or pick a model with a larger window.",
              fileName,
              tokens,
              conversation.model(),
              budget));
    }
    Attachment attachment = store(conversation, fileName, bytes, read, tokens);
    em.flush();
    return attachment.info();
  }

  /**
   * A file of an imported message, read for what it is and stored in the conversation (bound to its
   * message by {@link #sendWith}); the model's checks are left out: it is history.
   */
  public Attachment imported(Conversation conversation, String name, byte[] bytes) {
    if (bytes.length > maxBytes) {
      throw tooLarge(bytes.length);
    }
    String fileName = fileName(name);
    FileContents.Read read = read(fileName, bytes);
    return store(conversation, fileName, bytes, read, tokens(read));
  }

  private Attachment store(
      Conversation conversation, String name, byte[] bytes, FileContents.Read read, int tokens) {
    var attachment =
        new Attachment(
            conversation,
            name,
            bytes,
            read.kind(),
            read.mediaType(),
            read.text(),
            read.width(),
            read.height(),
            tokens);
    em.persist(attachment);
    return attachment;
  }

  /** What a file is, or why it is refused (415: not a kind taken; 422: taken but unreadable). */
  private static FileContents.Read read(String name, byte[] bytes) {
    try {
      return FileContents.read(name, bytes);
    } catch (UnreadableFileException e) {
      throw new ConversationException(
          e.why() == UnreadableFileException.Why.UNSUPPORTED
              ? Reason.FILE_UNSUPPORTED
              : Reason.FILE_UNREADABLE,
          e.getMessage());
    }
  }

  /** What a file adds to a prompt: its text's tokens, or an image's estimate. */
  private static int tokens(FileContents.Read read) {
    return read.kind() == AttachmentKind.IMAGE
        ? FileContents.imageTokens(read.width(), read.height())
        : TokenEstimator.text(read.text());
  }

  /** The files of one of the caller's conversations, sent and waiting, oldest first. */
  public List<AttachmentInfo> list(long conversationId) {
    Conversation conversation = owned.find(callers.identity(), conversationId);
    return em.createNamedQuery(Attachment.INFO_OF_CONVERSATION, AttachmentInfo.class)
        .setParameter("conversation", conversation.id())
        .getResultList();
  }

  /**
   * The files of these messages of one of the caller's conversations, by message id (messages
   * without files are left out).
   */
  public Map<Long, List<AttachmentInfo>> ofMessages(long conversationId, Collection<Message> page) {
    List<Long> ids =
        page.stream()
            .filter(m -> m.hasFiles() && m.conversationId() == conversationId)
            .map(Message::id)
            .toList();
    if (ids.isEmpty()) {
      return Map.of();
    }
    owned.find(callers.identity(), conversationId);
    return em.createNamedQuery(Attachment.INFO_OF_MESSAGES, AttachmentInfo.class)
        .setParameter("messages", ids)
        .getResultStream()
        .collect(Collectors.groupingBy(AttachmentInfo::messageId));
  }

  /** A file of one of the caller's conversations, to download. */
  public Download download(long conversationId, long attachmentId) {
    Attachment attachment = find(conversationId, attachmentId);
    return new Download(attachment.name(), attachment.mediaType(), attachment.content());
  }

  /** Removes a file not sent yet; a sent one stays with its message. */
  public void delete(long conversationId, long attachmentId) {
    Attachment attachment = find(conversationId, attachmentId);
    if (attachment.messageId() != null) {
      throw new ConversationException(
          Reason.ATTACHMENT_SENT, "This file was sent with a message and stays with it");
    }
    em.remove(attachment);
  }

  /**
   * The caller's files waiting in the conversation with these ids, in their order, to be sent with
   * a message; refused when one is not there (or sent already) or there are too many.
   */
  public List<Attachment> waiting(Conversation conversation, List<Long> ids) {
    if (ids == null || ids.isEmpty()) {
      return List.of();
    }
    var distinct = new LinkedHashSet<>(ids);
    if (distinct.size() > maxPerMessage) {
      throw new ConversationException(
          Reason.TOO_MANY_FILES, "A message carries at most " + maxPerMessage + " files");
    }
    List<Attachment> found =
        em.createNamedQuery(Attachment.PENDING, Attachment.class)
            .setParameter("conversation", conversation.id())
            .setParameter("ids", List.copyOf(distinct))
            .getResultList();
    if (found.size() != distinct.size()) {
      throw new ConversationException(
          Reason.ATTACHMENT_NOT_FOUND,
          "A file to send is not waiting in this conversation (removed, or sent already)");
    }
    return found;
  }

  /**
   * Sends the files with the question: part of it, counted in its tokens. {@code replaced}: the
   * question an edit replaces, whose files the new one keeps (null for a new message).
   */
  public void sendWith(Message question, List<Attachment> files, Message replaced) {
    int tokens = 0;
    if (replaced != null && replaced.hasFiles()) {
      em.createNamedQuery(Attachment.MOVE)
          .setParameter("from", replaced.id())
          .setParameter("to", question.id())
          .executeUpdate();
      tokens = replaced.attachmentTokens();
    }
    for (Attachment file : files) {
      file.sendWith(question);
      tokens += file.tokens();
    }
    if (!files.isEmpty() || (replaced != null && replaced.hasFiles())) {
      question.attachFiles(tokens);
    }
  }

  /** The files of these messages with their text and bytes (a prompt, an export), by message id. */
  public Map<Long, List<Attachment>> withContent(Collection<Message> messages) {
    List<Long> ids = messages.stream().filter(Message::hasFiles).map(Message::id).toList();
    if (ids.isEmpty()) {
      return Map.of();
    }
    return em.createNamedQuery(Attachment.OF_MESSAGES, Attachment.class)
        .setParameter("messages", ids)
        .getResultStream()
        .collect(Collectors.groupingBy(Attachment::messageId));
  }

  /** Refuses images for a conversation whose model takes none. */
  static ConversationException imagesRefused(Conversation conversation) {
    return new ConversationException(
        Reason.IMAGES_NOT_TAKEN,
        conversation.model()
            + " does not take images; pick a model that does (an administrator marks them)");
  }

  /** Files uploaded and never sent are removed after a while (their conversation stays). */
  @Schedule(hour = "*", minute = "17", persistent = false)
  public void removeUnsent() {
    int removed =
        em.createNamedQuery(Attachment.DELETE_UNSENT_BEFORE)
            .setParameter("before", OffsetDateTime.now(ZoneOffset.UTC).minusHours(unsentHours))
            .executeUpdate();
    if (removed > 0) {
      LOG.info(() -> "removed " + removed + " attached files never sent");
    }
  }

  private Attachment find(long conversationId, long attachmentId) {
    Conversation conversation = owned.find(callers.identity(), conversationId);
    Attachment attachment = em.find(Attachment.class, attachmentId);
    if (attachment == null || attachment.conversationId() != conversation.id()) {
      throw new ConversationException(Reason.ATTACHMENT_NOT_FOUND, "No such file");
    }
    return attachment;
  }

  private ConversationException tooLarge(long bytes) {
    return new ConversationException(
        Reason.FILE_TOO_LARGE,
        String.format(
            Locale.ROOT, "The file has %,d bytes; at most %,d are taken", bytes, (long) maxBytes));
  }

  /** A larger body than {@link #maxBytes} was refused before it was read to the end. */
  public ConversationException tooLargeToRead() {
    return new ConversationException(
        Reason.FILE_TOO_LARGE,
        String.format(
            Locale.ROOT, "The file has more than %,d bytes, the most taken", (long) maxBytes));
  }

  /**
   * The name to keep: the last part of a path (browsers and tools send some), without control
   * characters, at most 255 characters; "file" without one.
   */
  static String fileName(String given) {
    if (given == null) {
      return "file";
    }
    String name = given.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1);
    StringBuilder clean = new StringBuilder(name.length());
    name.codePoints()
        .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
        .forEach(clean::appendCodePoint);
    String result = clean.toString().strip();
    if (result.isEmpty() || result.equals(".") || result.equals("..")) {
      return "file";
    }
    return result.length() > 255 ? result.substring(0, 255) : result;
  }
}
