package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The page's scripts call the REST API as the logged-in user with a token from the session. */
class PageTokenIT extends DeployedEar {

  @Test
  void aLoggedInPageGetsATokenForTheApiAndNobodyElseDoes() throws Exception {
    var user = TestAccounts.user("scripted");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session:profile")));
      Object me =
          ((JavascriptExecutor) browser.driver)
              .executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + "fetch('/session/token').then(r => r.json()).then(t =>"
                      + " fetch('/api/v1/users/me', {headers: {Authorization: 'Bearer '"
                      + " + t.accessToken}})).then(r => r.json()).then(a => done(a.username),"
                      + " e => done('failed: ' + e));");
      assertEquals(user.username(), me);
    }
    HttpResponse<String> anonymous =
        Platform.HTTP.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(Platform.APP + "/session/token"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // the login form, or a redirect to it: never a token
    assertTrue(
        anonymous.statusCode() != 200 || anonymous.body().contains("login:username"),
        anonymous.statusCode() + " " + anonymous.body());
    assertTrue(!anonymous.body().contains("accessToken"), anonymous.body());
  }
}
