package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamAddressPolicyTest {

  /** Literal addresses only, and one name that points at loopback: no network needed. */
  private final UpstreamAddressPolicy policy =
      new UpstreamAddressPolicy(
          host -> {
            if (host.equals("rebind.example")) {
              return new InetAddress[] {
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")
              };
            }
            if (!host.matches("[0-9a-fA-F:.]+")) {
              throw new UnknownHostException(host);
            }
            return InetAddress.getAllByName(host);
          },
          List.of("10.20.0.0/16", "127.0.0.2/32"));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8000/v1",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:a9fe:a9fe]/v1",
        "http://[::ffff:127.0.0.1]/v1",
        "http://2130706433/v1",
        "http://0x7f000001/v1",
        "http://[::1]:11434/v1",
        "http://0.0.0.0:8000/v1",
        "http://224.0.0.1/v1",
        "http://rebind.example/v1",
        "ftp://93.184.216.34/v1",
        "http://user:secret@93.184.216.34/v1",
        "http:///v1",
        "http://10.0.0.5:8000/v1",
        "http://192.168.1.20:11434/v1",
        "http://172.16.0.9/v1",
        "http://100.64.0.1/v1",
        "http://[fd00::5]/v1",
        // IPv4 addresses inside IPv6 ones: NAT64, 6to4, IPv4-compatible, Teredo (client XOR ff)
        "http://[64:ff9b::a9fe:a9fe]/v1",
        "http://[64:ff9b::7f00:1]/v1",
        "http://[64:ff9b::10.0.0.5]/v1",
        "http://[2002:a9fe:a9fe::1]/v1",
        "http://[2002:c0a8:0114::]/v1",
        "http://[::169.254.169.254]/v1",
        "http://[::127.0.0.1]/v1",
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/v1"
      })
  void refusedForAUsersProvider(String url) {
    assertThrows(
        UpstreamAddressPolicy.RefusedAddressException.class, () -> policy.check(url, false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://93.184.216.34/v1",
        "http://[2606:4700:4700::1111]/v1",
        "http://[64:ff9b::5db8:d822]/v1",
        "http://[2002:5db8:d822::1]/v1"
      })
  void publicAddressesAreAllowed(String url) {
    assertDoesNotThrow(() -> policy.check(url, false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://10.0.0.5:8000/v1",
        "http://192.168.1.20:11434/v1",
        "http://[fd00::5]/v1",
        "http://127.0.0.1:11553/v1"
      })
  void administratorsMayUseThisHostAndTheIntranet(String url) {
    assertDoesNotThrow(() -> policy.check(url, true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"http://169.254.169.254/v1", "http://[::ffff:a9fe:a9fe]/v1", "http://0.0.0.0/v1"})
  void metadataAndUnspecifiedStayRefusedEvenForAdministrators(String url) {
    assertThrows(
        UpstreamAddressPolicy.RefusedAddressException.class, () -> policy.check(url, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://10.20.3.4:8000/v1", "http://127.0.0.2:9000/v1"})
  void networksTheOperatorOpenedAreAllowedForUsers(String url) {
    assertDoesNotThrow(() -> policy.check(url, false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://10.21.0.1/v1", "http://127.0.0.1/v1", "http://127.0.0.3/v1"})
  void otherPrivateAddressesStayRefusedForUsers(String url) {
    assertThrows(
        UpstreamAddressPolicy.RefusedAddressException.class, () -> policy.check(url, false));
  }
}
