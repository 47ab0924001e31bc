package com.llmchat.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

  private final ClientAddresses behindProxies =
      new ClientAddresses(List.of(Network.parse("10.0.0.0/24"), Network.parse("127.0.0.1")));

  @Test
  void aTrustedProxyNamesTheClient() {
    assertEquals("203.0.113.7", behindProxies.client("10.0.0.5", "203.0.113.7"));
  }

  @Test
  void anyoneElseCannotChooseTheirAddress() {
    assertEquals("198.51.100.9", behindProxies.client("198.51.100.9", "203.0.113.7"));
    assertEquals(
        "198.51.100.9", new ClientAddresses(List.of()).client("198.51.100.9", "203.0.113.7"));
  }

  @Test
  void theNearestUntrustedHopWinsOverWhatTheClientWroteItself() {
    // the client sent "1.2.3.4" itself; the proxies appended what they saw
    assertEquals(
        "203.0.113.7", behindProxies.client("127.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.5"));
  }

  @Test
  void onlyProxiesAllTheWayGivesTheFarthestProxy() {
    assertEquals("10.0.0.9", behindProxies.client("127.0.0.1", "10.0.0.9, 10.0.0.5"));
  }

  @Test
  void garbageInTheHeaderStopsAtTheLastTrustedHop() {
    assertEquals("10.0.0.5", behindProxies.client("127.0.0.1", "evil.example, 10.0.0.5"));
    assertEquals("127.0.0.1", behindProxies.client("127.0.0.1", "unknown"));
  }

  @Test
  void noHeaderIsThePeer() {
    assertEquals("10.0.0.5", behindProxies.client("10.0.0.5", null));
  }

  @Test
  void ipv6ProxiesAndClients() {
    var v6 = new ClientAddresses(List.of(Network.parse("fd00::/8")));
    assertEquals("2001:db8::1", v6.client("fd00::2", "2001:db8::1"));
  }

  @Test
  void hostNamesAreNotNetworks() {
    assertThrows(IllegalArgumentException.class, () -> Network.parse("proxy.example"));
  }
}
