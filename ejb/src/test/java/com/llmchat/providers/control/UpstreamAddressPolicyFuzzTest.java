package com.llmchat.providers.control;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.llmchat.providers.control.UpstreamAddressPolicy.RefusedAddressException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Any base URL is allowed or refused with a reason, never an exception of another kind; and what a
 * user's provider is allowed never resolves to loopback, link-local or a private network.
 */
class UpstreamAddressPolicyFuzzTest {

  private static final java.util.regex.Pattern LITERAL =
      java.util.regex.Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f:.%]*:[0-9A-Fa-f:.%]*");

  /** Names resolve to what the fuzzer chose, without DNS; address literals as themselves. */
  private static InetAddress[] resolve(String host, byte[] answer) throws UnknownHostException {
    if (LITERAL.matcher(host).matches()) {
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    if (answer.length != 4 && answer.length != 16) {
      throw new UnknownHostException(host);
    }
    return new InetAddress[] {InetAddress.getByAddress(host, answer)};
  }

  @FuzzTest(maxDuration = "8s")
  void anyUrlIsAllowedOrRefusedAndUsersNeverReachInsideAddresses(FuzzedDataProvider data) {
    byte[] answer = data.consumeBytes(data.consumeBoolean() ? 4 : 16);
    boolean privateAllowed = data.consumeBoolean();
    String url = data.consumeRemainingAsString();
    InetAddress[] resolvedTo = new InetAddress[1];
    var policy =
        new UpstreamAddressPolicy(
            host -> {
              InetAddress[] found = resolve(host, answer);
              resolvedTo[0] = found[0];
              return found;
            },
            List.of());
    try {
      policy.check(url, privateAllowed);
    } catch (RefusedAddressException refused) {
      return;
    }
    InetAddress reached = resolvedTo[0];
    if (!privateAllowed && reached != null) {
      InetAddress plain = UpstreamAddressPolicy.unmapped(reached);
      if (plain.isLoopbackAddress()
          || plain.isLinkLocalAddress()
          || plain.isSiteLocalAddress()
          || plain.isAnyLocalAddress()) {
        throw new AssertionError(url + " reaches " + reached + " for a user's provider");
      }
    }
  }
}
