package com.llmchat.providers.control;

import com.llmchat.providers.entity.Provider;
import com.llmchat.providers.entity.Route;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The SSRF guard as configured: users' own providers may reach public addresses and the networks
 * the operator lists in LLMCHAT_USER_PROVIDER_NETWORKS; administrators' providers may reach private
 * ranges when marked so. Checked when a provider is saved and again at every call, which then
 * connects to the address checked.
 */
@ApplicationScoped
public class UpstreamAddresses {

  @Inject
  @ConfigProperty(name = "llmchat.user-provider-networks")
  Optional<List<String>> userNetworks;

  private UpstreamAddressPolicy policy;

  @PostConstruct
  void configure() {
    policy =
        new UpstreamAddressPolicy(
            InetAddress::getAllByName,
            userNetworks.orElse(List.of()).stream().filter(n -> !n.isBlank()).toList());
  }

  public void check(Provider provider) {
    policy.check(provider.baseUrl(), provider.allowPrivateNetwork());
  }

  /** The address to connect to for a call on the route, checked now. */
  public InetAddress check(Route route) {
    return policy.check(route.baseUrl(), route.allowPrivateNetwork());
  }
}
