package com.llmchat.providers.control;

import com.llmchat.edge.Network;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a model server may be: the guard against server-side request forgery through user-defined
 * base URLs. The host is resolved and every address checked (decimal forms such as {@code
 * 2130706433} and IPv4-mapped IPv6 included): loopback, unspecified, link-local (cloud metadata at
 * 169.254.169.254), multicast and, unless the provider is an administrator's, private and shared
 * ranges are refused. Redirects are never followed by the REST client.
 */
public final class UpstreamAddressPolicy {

  /** Why a base URL is refused, in words for the person who entered it. */
  public static final class RefusedAddressException extends RuntimeException {
    public RefusedAddressException(String message) {
      super(message);
    }
  }

  /** The host-name lookup, replaceable so that the checks can be tested without DNS. */
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final Resolver resolver;
  private final List<Network> allowedNetworks;

  public UpstreamAddressPolicy() {
    this(InetAddress::getAllByName, List.of());
  }

  /**
   * {@code allowedNetworks} (CIDR, e.g. {@code 10.20.0.0/16}) are private ranges the operator opens
   * to users' own providers, such as the company's model gateway.
   */
  public UpstreamAddressPolicy(Resolver resolver, List<String> allowedNetworks) {
    this.resolver = resolver;
    this.allowedNetworks = allowedNetworks.stream().map(Network::parse).toList();
  }

  /**
   * Checks a base URL; {@code privateNetworksAllowed} is for administrators' providers, since model
   * servers inside the intranet are normal there.
   */
  public void check(String baseUrl, boolean privateNetworksAllowed) {
    URI uri;
    try {
      uri = URI.create(baseUrl.trim());
    } catch (IllegalArgumentException e) {
      throw new RefusedAddressException("not a URL: " + baseUrl);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RefusedAddressException("only http and https model servers are allowed");
    }
    if (uri.getRawUserInfo() != null) {
      throw new RefusedAddressException("credentials belong in the API key, not in the URL");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw new RefusedAddressException("the URL has no host");
    }
    InetAddress[] addresses;
    try {
      addresses =
          resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      throw new RefusedAddressException("the host " + host + " cannot be resolved");
    }
    for (InetAddress address : addresses) {
      InetAddress plain = unmapped(address);
      boolean opened = allowedNetworks.stream().anyMatch(network -> network.contains(plain));
      String why = refusal(plain, privateNetworksAllowed || opened);
      if (why != null) {
        throw new RefusedAddressException(
            host + " resolves to " + address.getHostAddress() + ", " + why);
      }
    }
  }

  private static String refusal(InetAddress address, boolean privateNetworksAllowed) {
    if (address.isAnyLocalAddress()) {
      return "an unspecified address";
    }
    if (address.isLinkLocalAddress()) {
      return "a link-local address (cloud metadata lives there)";
    }
    if (address.isMulticastAddress()) {
      return "a multicast address";
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address && (bytes[0] == 0 || (bytes[0] & 0xff) >= 240)) {
      return "a reserved address";
    }
    if (privateNetworksAllowed) {
      return null;
    }
    if (address.isLoopbackAddress()) {
      return "this server itself, allowed for administrators' providers only";
    }
    boolean sharedIpv4 =
        address instanceof Inet4Address && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    boolean uniqueLocalIpv6 = address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc;
    if (address.isSiteLocalAddress() || sharedIpv4 || uniqueLocalIpv6) {
      return "a private network address, allowed for administrators' providers only";
    }
    return null;
  }

  /** ::ffff:a.b.c.d is a.b.c.d. */
  static InetAddress unmapped(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address && bytes.length == 16) {
      boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = bytes[i] == 0;
      }
      if (mapped) {
        try {
          return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        } catch (UnknownHostException e) {
          return address;
        }
      }
    }
    return address;
  }
}
