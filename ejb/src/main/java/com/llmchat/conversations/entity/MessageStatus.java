package com.llmchat.conversations.entity;

/** Where a message stands: a reply is streaming until it completes, is interrupted or fails. */
public enum MessageStatus {
  STREAMING,
  COMPLETE,
  /** Ended early by stop, hang-up or a broken upstream; the partial text is kept. */
  INTERRUPTED,
  /** The model server could not answer at all. */
  FAILED
}
