package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void keysTokensAndKeyParametersAreHidden() {
    String echoed =
        "Incorrect API key provided: sk-proj-Abc123Def456. Authorization: Bearer eyJhbGciOi.x.y"
            + " url=http://10.1.2.3:8000/v1?api_key=s3cr3tValue&x=1 {\"token\": \"tok_123456\"}";
    String redacted = Redaction.secrets(echoed);
    for (String secret : new String[] {"Abc123Def456", "eyJhbGciOi", "s3cr3tValue", "tok_123456"}) {
      assertFalse(redacted.contains(secret), secret + " in " + redacted);
    }
    assertTrue(
        redacted.startsWith("Incorrect API key provided: sk-…. Authorization: Bearer … url="),
        redacted);
  }

  @Test
  void ordinaryErrorTextStaysReadable() {
    String text = "This model's maximum context length is 8192 tokens; you asked for 9000.";
    assertEquals(text, Redaction.secrets(text));
    assertNull(Redaction.secrets(null));
  }
}
