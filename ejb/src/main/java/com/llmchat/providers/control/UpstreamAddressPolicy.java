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
 * 2130706433} and IPv4 addresses inside IPv6 ones included): loopback, unspecified, link-local
 * (cloud metadata at 169.254.169.254), multicast and, unless the provider is an administrator's,
 * private and shared ranges are refused. Redirects are never followed by the REST client.
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
   * Checks a base URL and returns the address to connect to, the first of those checked: the client
   * connects there and looks the name up no second time, which a DNS answer that changes between
   * the check and the connection (rebinding) would otherwise exploit. {@code
   * privateNetworksAllowed} is for administrators' providers, since model servers inside the
   * intranet are normal there.
   */
  public InetAddress check(String baseUrl, boolean privateNetworksAllowed) {
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
    if (addresses.length == 0) {
      throw new RefusedAddressException("the host " + host + " cannot be resolved");
    }
    return addresses[0];
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

  /**
   * The IPv4 address an IPv6 address carries, which is where its packets end up: IPv4-mapped
   * ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}),
   * 6to4 ({@code 2002:AABB:CCDD::/16}) and Teredo ({@code 2001:0::/32}, the client's address); any
   * other address as it is.
   */
  static InetAddress unmapped(InetAddress address) {
    byte[] b = address.getAddress();
    if (!(address instanceof Inet6Address) || b.length != 16) {
      return address;
    }
    if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return ipv4(b[12], b[13], b[14], b[15], address);
    }
    // ::a.b.c.d, but not :: and ::1, which are IPv6's own unspecified and loopback addresses
    if (zero(b, 0, 12) && !(zero(b, 12, 15) && (b[15] & 0xfe) == 0)) {
      return ipv4(b[12], b[13], b[14], b[15], address);
    }
    if (b[0] == 0x00
        && b[1] == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && zero(b, 4, 12)) {
      return ipv4(b[12], b[13], b[14], b[15], address);
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return ipv4(b[2], b[3], b[4], b[5], address);
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
      return ipv4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15], address);
    }
    return address;
  }

  private static boolean zero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress ipv4(byte a, byte b, byte c, byte d, InetAddress otherwise) {
    try {
      return InetAddress.getByAddress(new byte[] {a, b, c, d});
    } catch (UnknownHostException e) {
      return otherwise;
    }
  }
}
