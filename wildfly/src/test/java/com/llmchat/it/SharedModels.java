package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

/** Administrators' providers with one model each, made through the API for a test. */
final class SharedModels {

  private SharedModels() {}

  /**
   * A new alias ({@code prefix-…}) served by the test simulator's {@code demo} model through a
   * provider of its own; {@code settings} adds fields to the provider, e.g. {@code
   * ,"readTimeoutMs":1000}.
   */
  static String add(String prefix, String settings) throws Exception {
    return add(prefix, Platform.simulator().baseUrl(), settings);
  }

  /** As {@link #add(String, String)}, for a model server at {@code baseUrl}. */
  static String add(String prefix, String baseUrl, String settings) throws Exception {
    return add(prefix, baseUrl, settings, "");
  }

  /** As above; {@code modelSettings} adds fields to the model, e.g. {@code ,"contextLimit":200}. */
  static String add(String prefix, String baseUrl, String settings, String modelSettings)
      throws Exception {
    String alias = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    var provider =
        Api.post(
            "v1/admin/providers",
            Tokens.admin(),
            "{\"name\":"
                + Api.q("Provider of " + alias)
                + ",\"baseUrl\":"
                + Api.q(baseUrl)
                + ",\"allowPrivateNetwork\":true"
                + settings
                + "}");
    assertEquals(201, provider.statusCode(), provider.body());
    long id = Json.object(provider.body()).getJsonNumber("id").longValue();
    var model =
        Api.post(
            "v1/admin/providers/" + id + "/models",
            Tokens.admin(),
            "{\"upstreamId\":\"demo\",\"alias\":" + Api.q(alias) + modelSettings + "}");
    assertEquals(201, model.statusCode(), model.body());
    return alias;
  }
}
