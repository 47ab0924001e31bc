package com.llmchat.conversations.control;

import java.io.Serializable;

/**
 * Events of a reply's stream read from its {@link ReplyJournal}: their frames as sent, the id of
 * the last, whether the stream has ended with them, and whether some asked for are no longer kept.
 */
public final class ReplyEvents implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final byte[] NONE = new byte[0];

  private final byte[] frames;
  private final long lastId;
  private final boolean ended;
  private final boolean missed;

  ReplyEvents(byte[] frames, long lastId, boolean ended, boolean missed) {
    this.frames = frames;
    this.lastId = lastId;
    this.ended = ended;
    this.missed = missed;
  }

  static ReplyEvents missed(long lastId) {
    return new ReplyEvents(NONE, lastId, false, true);
  }

  /** The events' frames as sent to the stream's first client (UTF-8 text/event-stream). */
  public byte[] frames() {
    return frames;
  }

  public long lastId() {
    return lastId;
  }

  public boolean ended() {
    return ended;
  }

  /** Events after the id asked for are no longer kept (the journal's bound dropped them). */
  public boolean missed() {
    return missed;
  }
}
