package com.llmchat.usage.control;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens when a model server reports none (many self-hosted servers omit usage when
 * streaming). cl100k_base is an estimate for other models' tokenizers, and marked as such.
 */
public final class TokenEstimator {

  // each chat message costs a few tokens of framing besides its text (OpenAI's own rule of thumb)
  private static final int PER_MESSAGE = 4;
  private static final int PER_REPLY = 3;

  private static final Encoding ENCODING =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  private TokenEstimator() {}

  public static int text(String text) {
    return text == null || text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
  }

  /** A message of the prompt whose text has {@code textTokens}: the text and its framing. */
  public static int message(int textTokens) {
    return PER_MESSAGE + textTokens;
  }

  /** A prompt of messages counted with {@link #message}: their sum and the reply's priming. */
  public static int prompt(int messageTokens) {
    return PER_REPLY + messageTokens;
  }
}
