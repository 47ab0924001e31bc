package com.llmchat.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address range in CIDR notation ({@code 10.20.0.0/16}, {@code 192.0.2.7}, {@code fd00::/8}).
 */
public record Network(byte[] prefix, int bits) {

  /** Parses a range; an address without a length is a range of one. Never asks DNS. */
  public static Network parse(String cidr) {
    String[] parts = cidr.strip().split("/", 2);
    if (!IpLiteral.is(parts[0])) {
      throw new IllegalArgumentException("not a network in CIDR notation: " + cidr);
    }
    try {
      byte[] address = InetAddress.getByName(parts[0]).getAddress();
      int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("bad prefix length in " + cidr);
      }
      return new Network(address, bits);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not a network in CIDR notation: " + cidr, e);
    }
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != prefix.length) {
      return false;
    }
    for (int bit = 0; bit < bits; bit++) {
      int mask = 0x80 >> (bit % 8);
      if ((bytes[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a text is an IPv4 or IPv6 address literal (so that parsing it never asks DNS). */
  static final class IpLiteral {
    private IpLiteral() {}

    static boolean is(String text) {
      return text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
          || (text.contains(":") && text.matches("[0-9a-fA-F:.%]+"));
    }
  }
}
