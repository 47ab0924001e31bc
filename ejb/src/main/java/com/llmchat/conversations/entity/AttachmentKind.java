package com.llmchat.conversations.entity;

/**
 * What an attached file is to a prompt: text added to the message, or an image for models that see.
 */
public enum AttachmentKind {
  TEXT,
  IMAGE
}
