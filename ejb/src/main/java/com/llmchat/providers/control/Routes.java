package com.llmchat.providers.control;

import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.providers.boundary.ProviderException.Reason;
import com.llmchat.providers.control.CredentialCipher.UnreadableCredentialException;
import com.llmchat.providers.entity.Model;
import com.llmchat.providers.entity.Provider;
import com.llmchat.providers.entity.Route;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Builds the route for one call: the provider's URL, its opened key, the model and limits. */
@ApplicationScoped
public class Routes {

  @Inject ProviderCredentials credentials;

  public Route of(Model model) {
    return of(model.provider(), model, model.upstreamId());
  }

  public Route of(Provider provider, Model model, String upstreamModel) {
    String authorization;
    try {
      authorization = credentials.authorization(provider);
    } catch (UnreadableCredentialException e) {
      throw new ProviderException(
          Reason.KEY_UNREADABLE,
          "The stored API key of "
              + provider.name()
              + " cannot be opened ("
              + e.getMessage()
              + "); enter it again");
    }
    return new Route(
        provider.id(),
        provider.name(),
        provider.baseUrl(),
        authorization,
        upstreamModel,
        provider.includeUsage(),
        provider.allowPrivateNetwork(),
        provider.connectTimeoutMs(),
        provider.readTimeoutMs(),
        model == null ? null : model.temperature(),
        model == null ? null : model.maxTokens(),
        model == null ? null : model.contextLimit(),
        provider.isSharedWithEverybody(),
        model != null && model.vision());
  }
}
