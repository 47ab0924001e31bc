package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamClientsTest {

  @ParameterizedTest
  @CsvSource({
    "http://vllm.intranet:8000/v1, 10.1.2.3, http://10.1.2.3:8000/v1, vllm.intranet:8000",
    "https://api.example.com/v1, 93.184.216.34, https://93.184.216.34/v1, api.example.com",
    "https://api.example.com/compatible-mode/v1?x=a%20b, 2001:db8:0:0:0:0:0:1,"
        + " https://[2001:db8:0:0:0:0:0:1]/compatible-mode/v1?x=a%20b, api.example.com",
    "http://[::1]:11434/v1, 0:0:0:0:0:0:0:1, http://[0:0:0:0:0:0:0:1]:11434/v1, [::1]:11434",
  })
  void clientGoesToTheCheckedAddressAndNamesTheHost(
      String baseUrl, String address, String connectsTo, String hostHeader) {
    URI named = URI.create(baseUrl);
    assertEquals(URI.create(connectsTo), UpstreamClients.pinned(named, address));
    assertEquals(hostHeader, UpstreamClients.hostHeader(named));
  }
}
