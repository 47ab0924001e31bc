package com.llmchat.rest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The second step, as the server takes it: the body through the guard into the JSON binding (Yasson
 * and Parsson, the versions WildFly has), to the type its endpoint reads. It becomes that type or
 * fails with what the problem mapper answers as 400 (JsonbException or JsonException:
 * malformed-body; IllegalArgumentException: invalid-request), within seconds: never with an
 * exception that would be a 500, never a thread spinning on it (Parsson's skip of an unknown
 * field's value did, on a body ending inside it). The types are every resource method's body
 * parameter, found by reflection.
 */
class RequestBodyBindingFuzzTest {

  private static final Jsonb JSONB = JsonbBuilder.create();
  private static final List<Type> BODIES = Endpoints.bodyTypes();
  private static final ExecutorService BINDER =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "binder");
            thread.setDaemon(true);
            return thread;
          });

  @FuzzTest(maxDuration = "8s")
  void anyBodyBindsToItsEndpointsTypeOrIsA400(FuzzedDataProvider data) throws Throwable {
    Type type = data.pickValue(BODIES);
    byte[] body = data.consumeRemainingAsBytes();
    var filter = new RequestBodies();
    filter.maxBytes = 1 << 20;
    Future<?> binding =
        BINDER.submit(
            () -> {
              try (InputStream in = filter.guard(new ByteArrayInputStream(body))) {
                JSONB.fromJson(in, type);
              } catch (JsonbException | JsonException | IllegalArgumentException | IOException e) {
                // answered with 400 (the guard's refusal is an IOException inside them)
              }
              return null;
            });
    try {
      binding.get(5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("binding " + type + " does not end on " + Arrays.toString(body), e);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }
}
