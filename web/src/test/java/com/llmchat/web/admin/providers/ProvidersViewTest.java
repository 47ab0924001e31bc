package com.llmchat.web.admin.providers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.providers.boundary.ProviderSettings;
import com.llmchat.providers.boundary.Providers;
import com.llmchat.providers.entity.Provider;
import com.llmchat.web.Messages;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The providers page's bean lives in the HTTP session (view scope) and goes wherever the session
 * goes (passivation, replication): a typed API key must not stay in it, not even after a save the
 * boundary refused.
 */
class ProvidersViewTest {

  private static final String KEY = "sk-typed-into-the-form-0123456789";

  @Test
  void aKeyTypedIntoARefusedSaveDoesNotStayInTheSession() throws Exception {
    var view = new ProvidersView();
    boolean[] refused = {false};
    view.providers =
        new Providers() {
          @Override
          public Provider create(Scope scope, ProviderSettings settings) {
            throw new ProviderException(ProviderException.Reason.NAME_TAKEN, "taken");
          }
        };
    view.messages =
        new Messages() {
          @Override
          public void refused(String prefix, Enum<?> reason, String detail) {
            refused[0] = true;
          }
        };
    view.setName("Intranet");
    view.setBaseUrl("http://10.0.0.5:8000/v1");
    view.setApiKey(KEY);

    view.save();

    assertTrue(refused[0], "the refusal is shown");
    // the container's references are serializable proxies; these stand-ins are not
    view.providers = null;
    view.messages = null;
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(view);
    }
    assertFalse(
        bytes.toString(StandardCharsets.ISO_8859_1).contains(KEY),
        "the typed key is in the serialized view");
  }
}
