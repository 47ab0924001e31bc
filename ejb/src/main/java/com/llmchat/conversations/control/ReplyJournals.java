package com.llmchat.conversations.control;

import com.llmchat.platform.control.Cluster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The journals of the replies this server streams (and streamed a moment ago), by reply id; and,
 * for a stream taken up again, where a reply's events can be read: here, or on the server of the
 * cluster that streams it.
 */
@ApplicationScoped
public class ReplyJournals {

  /** How long a read of another server's journal waits for the next event. */
  private static final Duration REMOTE_WAIT = Duration.ofMillis(1_000);

  /** Longer than the wait: the answer's way back. */
  private static final Duration REMOTE_ANSWER = Duration.ofMillis(1_800);

  private static final Duration FIND_WAIT = Duration.ofMillis(1_500);

  @Inject Cluster cluster;

  /** The most bytes of one reply's events kept; past it the oldest go. */
  @Inject
  @ConfigProperty(name = "llmchat.stream.resume-bytes", defaultValue = "1048576")
  long maxBytes;

  private final Map<Long, ReplyJournal> journals = new ConcurrentHashMap<>();

  /** A new journal for a reply that is about to stream here. */
  public ReplyJournal open(long replyId) {
    var journal = new ReplyJournal(maxBytes);
    journals.put(replyId, journal);
    return journal;
  }

  /** The journal is not kept any longer (unless the reply has streamed again since). */
  public void forget(long replyId, ReplyJournal journal) {
    journals.remove(replyId, journal);
  }

  /** The reply's journal on this server. */
  public Optional<ReplyJournal> local(long replyId) {
    return Optional.ofNullable(journals.get(replyId));
  }

  /** Where the reply's events can be read: this server's journal, or another server's. */
  public Optional<Source> find(long replyId, long lastId) {
    Optional<ReplyJournal> here = local(replyId);
    if (here.isPresent()) {
      ReplyJournal journal = here.get();
      return Optional.of((after, waitNanos) -> journal.after(after, waitNanos));
    }
    return cluster
        .askOthersForOne(new ReadReplyEvents(replyId, lastId, 0), FIND_WAIT)
        .map(
            found ->
                (after, waitNanos) ->
                    cluster.ask(
                        found.server(),
                        new ReadReplyEvents(
                            replyId, after, Math.min(waitNanos, REMOTE_WAIT.toNanos())),
                        REMOTE_ANSWER));
  }

  /** A reply's events, wherever they are kept. */
  @FunctionalInterface
  public interface Source {

    /**
     * The events after {@code lastId}, waiting up to {@code waitNanos} for the next; an {@link
     * IOException} when the server keeping them gave no answer (it left the cluster).
     */
    ReplyEvents after(long lastId, long waitNanos) throws IOException;
  }
}
