package com.llmchat.web;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.boundary.Models;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonObjectBuilder;

/**
 * The chat page: its script (chat.js) talks to the REST API and its reply stream; this bean hands
 * it its texts in the page's language and the model new conversations start with.
 */
@Named
@RequestScoped
public class IndexView {

  @Inject Messages messages;
  @Inject Models models;

  /** The page's {@code chat.*} texts as JSON, read by chat.js from a data attribute. */
  public String getTexts() {
    JsonObjectBuilder texts = JsonFactory.object();
    messages.startingWith("chat.").forEach(texts::add);
    return texts.build().toString();
  }

  public String getDefaultModel() {
    return models.defaultAlias().orElse("");
  }
}
