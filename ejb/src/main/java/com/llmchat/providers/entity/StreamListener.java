package com.llmchat.providers.entity;

/**
 * Who a completion streams to: events as the model server sends them, and a moment to pass them on
 * whenever everything received so far has been read (so a burst leaves together and a lone token at
 * once). Both answer false when nobody listens any more, which ends the model server call.
 */
public interface StreamListener {

  boolean event(StreamEvent event);

  boolean flush();
}
