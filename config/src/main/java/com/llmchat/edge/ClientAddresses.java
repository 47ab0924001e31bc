package com.llmchat.edge;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The address of the client behind a request, for login throttling and the audit log: the peer's,
 * unless the peer is one of the operator's proxies (LLMCHAT_TRUSTED_PROXIES, CIDR list); then the
 * nearest address in X-Forwarded-For that is not a trusted proxy. A header from anyone else is
 * ignored, so nobody picks their own address by sending it.
 */
public final class ClientAddresses {

  private static volatile ClientAddresses configured;

  private final List<Network> proxies;

  public ClientAddresses(List<Network> proxies) {
    this.proxies = List.copyOf(proxies);
  }

  /** The installation's proxies, from {@code llmchat.trusted-proxies} (read once). */
  public static ClientAddresses configured() {
    ClientAddresses current = configured;
    if (current == null) {
      String list =
          ConfigProvider.getConfig()
              .getOptionalValue("llmchat.trusted-proxies", String.class)
              .orElse("");
      current =
          new ClientAddresses(
              Arrays.stream(list.split(","))
                  .map(String::strip)
                  .filter(entry -> !entry.isEmpty())
                  .map(Network::parse)
                  .toList());
      configured = current;
    }
    return current;
  }

  public static String of(HttpServletRequest request) {
    return request == null
        ? null
        : configured().client(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
  }

  /** The client for a peer address and the X-Forwarded-For header it sent (may be null). */
  public String client(String peer, String forwardedFor) {
    if (forwardedFor == null || !trusted(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String nearest = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!Network.IpLiteral.is(hop)) {
        // not an address: what the last trusted proxy saw cannot be told
        return nearest;
      }
      if (!trusted(hop)) {
        return hop;
      }
      nearest = hop;
    }
    return nearest;
  }

  /** Whether a trusted proxy says it took the request over HTTPS (X-Forwarded-Proto). */
  public boolean forwardedHttps(String peer, String forwardedProto) {
    if (forwardedProto == null || !trusted(peer)) {
      return false;
    }
    // the nearest proxy's value comes last when proxies append
    String[] values = forwardedProto.split(",");
    return values[values.length - 1].strip().equalsIgnoreCase("https");
  }

  private boolean trusted(String address) {
    if (address == null || proxies.isEmpty() || !Network.IpLiteral.is(address)) {
      return false;
    }
    try {
      InetAddress parsed = InetAddress.getByName(address);
      return proxies.stream().anyMatch(network -> network.contains(parsed));
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
