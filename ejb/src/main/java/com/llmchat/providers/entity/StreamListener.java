package com.llmchat.providers.entity;

/**
 * Who a completion streams to: events as the model server sends them, and a moment to pass them on
 * whenever everything received so far has been read (so a burst leaves together and a lone token at
 * once). Each call answers false when nobody listens any more, which ends the model server call.
 */
public interface StreamListener {

  /** For an answer nobody reads as it comes: the result holds it. */
  StreamListener NOBODY =
      new StreamListener() {
        @Override
        public boolean event(StreamEvent event) {
          return true;
        }

        @Override
        public boolean flush() {
          return true;
        }
      };

  boolean event(StreamEvent event);

  boolean flush();

  /**
   * A line of the model server's stream as it came, before its events: for a listener that passes
   * the stream on unchanged ({@code /v1}). Others ignore it.
   */
  default boolean line(String line) {
    return true;
  }

  /**
   * The relay's own failure — no route answered, the stream broke, a cap was reached — as opposed
   * to an error the model server reported in its stream (an {@link #event}).
   */
  default boolean failed(StreamEvent.Error error) {
    return event(error);
  }
}
