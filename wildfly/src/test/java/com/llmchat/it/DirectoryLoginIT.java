package com.llmchat.it;

import static com.llmchat.it.Api.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Company login against a real OpenLDAP (slapd on loopback): one directory laid out as OpenLDAP
 * directories are, one like Active Directory. Accounts are made at the first login and brought up
 * to date at every one; the directory's groups give our groups (and so models) and the
 * administrator role; a directory that cannot be reached is a clear error while the local
 * break-glass administrator still logs in. Every failing login comes from an address of its own
 * (X-Forwarded-For; the test run trusts loopback as a proxy) so that the address lockout other
 * tests rely on is not touched.
 */
class DirectoryLoginIT extends DeployedEar {

  private static Slapd slapd;
  private static long corp;
  private static long ad;
  private static final List<Long> DIRECTORIES = new ArrayList<>();

  @BeforeAll
  static void directories() throws Exception {
    slapd = Slapd.start();
    corp =
        directory(
            "{\"kind\":\"openldap\",\"name\":"
                + q("corp-" + suffix())
                + ",\"url\":"
                + q(slapd.url())
                + ",\"userBase\":"
                + q(Slapd.CORP)
                + ",\"bindDn\":"
                + q(Slapd.CORP_SERVICE)
                + ",\"bindPassword\":"
                + q(slapd.servicePassword)
                + ",\"nestedGroups\":true}");
    ad =
        directory(
            "{\"kind\":\"active-directory\",\"name\":"
                + q("ad-" + suffix())
                + ",\"position\":1,\"url\":"
                + q(slapd.url())
                + ",\"userBase\":"
                + q(Slapd.AD)
                + ",\"bindDn\":"
                + q(Slapd.AD_SERVICE)
                + ",\"bindPassword\":"
                + q(slapd.servicePassword)
                + "}");
  }

  @AfterAll
  static void removeDirectories() throws Exception {
    for (long id : DIRECTORIES) {
      Api.delete("v1/admin/directories/" + id, Tokens.admin());
    }
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 6);
  }

  private static long directory(String json) throws Exception {
    var created = Api.post("v1/admin/directories", Tokens.admin(), json);
    assertEquals(201, created.statusCode(), created.body());
    long id = Json.object(created.body()).getJsonNumber("id").longValue();
    DIRECTORIES.add(id);
    return id;
  }

  private static long map(long directory, String directoryGroup, Long group, boolean admin)
      throws Exception {
    var mapped =
        Api.post(
            "v1/admin/directories/" + directory + "/mappings",
            Tokens.admin(),
            "{\"directoryGroup\":"
                + q(directoryGroup)
                + (group == null ? "" : ",\"groupId\":" + group)
                + ",\"administrator\":"
                + admin
                + "}");
    assertEquals(201, mapped.statusCode(), mapped.body());
    return Json.object(mapped.body()).getJsonNumber("id").longValue();
  }

  /** A login from its own client address, so that failures count against nobody else. */
  private static HttpResponse<String> login(String address, String username, String password)
      throws Exception {
    return Platform.HTTP.send(
        HttpRequest.newBuilder(URI.create(Platform.APP + "/api/v1/auth/login"))
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", address)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"username\":" + q(username) + ",\"password\":" + q(password) + "}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String address() {
    return "198.18." + (int) (Math.random() * 250) + "." + (1 + (int) (Math.random() * 250));
  }

  private static JsonObject loggedIn(String username, String password) throws Exception {
    var response = login(address(), username, password);
    assertEquals(200, response.statusCode(), response.body());
    return Json.object(response.body());
  }

  private static List<String> models(String token) throws Exception {
    var models = Api.get("v1/models", token);
    assertEquals(200, models.statusCode(), models.body());
    return Json.array(models.body()).stream()
        .map(model -> model.asJsonObject().getString("id"))
        .toList();
  }

  private static JsonArray audit() throws Exception {
    return Json.array(Api.get("v1/admin/audit?limit=300", Tokens.admin()).body());
  }

  private static boolean audited(String target, String action, String outcome) throws Exception {
    return audit().stream()
        .map(e -> e.asJsonObject())
        .anyMatch(
            e ->
                target.equals(e.getString("target", null))
                    && action.equals(e.getString("action"))
                    && outcome.equals(e.getString("outcome")));
  }

  @Test
  void theConnectionTestBindsAndFindsTheUserBase() throws Exception {
    var probe = Api.post("v1/admin/directories/" + corp + "/test", Tokens.admin(), null);
    assertEquals(200, probe.statusCode(), probe.body());
    JsonObject result = Json.object(probe.body());
    assertTrue(result.getBoolean("ok"), probe.body());
    assertTrue(result.getString("detail").contains(Slapd.CORP_SERVICE), probe.body());
    var shown = Api.get("v1/admin/directories/" + corp, Tokens.admin());
    assertTrue(Json.object(shown.body()).getBoolean("bindPasswordSet"));
    assertFalse(shown.body().contains(slapd.servicePassword), "the bind password is write-only");
  }

  @Test
  void aFirstLoginMakesTheAccountAndTheDirectoryGroupsGiveModelsAtOnce() throws Exception {
    long group = ModelAccessIT.group("dir-users", false);
    String model = SharedModels.add("dir-model", "");
    ModelAccessIT.openTo(model, group);
    map(corp, "cn=llm-users,ou=groups," + Slapd.CORP, group, false);

    JsonObject session = loggedIn("lin.wei", slapd.password);
    JsonObject user = session.getJsonObject("user");
    assertEquals("lin.wei", user.getString("username"));
    assertEquals("林伟", user.getString("displayName"), "the display name is the directory's");
    assertEquals("lin.wei@corp.test", user.getString("email"));
    assertEquals("USER", user.getString("role"));
    assertEquals("ldap:" + corp, user.getString("origin"));
    String token = session.getString("accessToken");
    assertTrue(models(token).contains(model), "the mapped group opens the model at once");

    // the directory's administrators take lin.wei out of llm-users: gone at the next login
    slapd.removeMember(
        Slapd.CORP, "cn=llm-users,ou=groups," + Slapd.CORP, "uid=lin.wei,ou=people," + Slapd.CORP);
    try {
      String next = loggedIn("lin.wei", slapd.password).getString("accessToken");
      assertFalse(models(next).contains(model), "leaving the directory group loses the model");
    } finally {
      slapd.addMember(
          Slapd.CORP,
          "cn=llm-users,ou=groups," + Slapd.CORP,
          "uid=lin.wei,ou=people," + Slapd.CORP);
    }
    String again = loggedIn("lin.wei", slapd.password).getString("accessToken");
    assertTrue(models(again).contains(model));
    assertTrue(audited("lin.wei", "account-created", "SUCCESS"));

    // the password is the directory's: it is not changed here
    var change =
        Api.put(
            "v1/auth/password",
            again,
            "{\"currentPassword\":" + q(slapd.password) + ",\"newPassword\":\"Another-1-pass!\"}");
    assertEquals(409, change.statusCode(), change.body());
    assertTrue(Json.object(change.body()).getString("type").endsWith("/managed-by-directory"));
  }

  @Test
  void nestedGroupsAreFollowedAndMappedByName() throws Exception {
    long group = ModelAccessIT.group("dir-research", false);
    String model = SharedModels.add("dir-research-model", "");
    ModelAccessIT.openTo(model, group);
    // zhang.min is in llm-users, which is a member of research: mapped by the group's name
    map(corp, "Research", group, false);
    String token = loggedIn("zhang.min", slapd.password).getString("accessToken");
    assertTrue(models(token).contains(model), "a nested group counts");
  }

  @Test
  void theAdministratorRoleFollowsTheDirectoryGroupAtEveryLogin() throws Exception {
    map(corp, "cn=llm-admins,ou=groups," + Slapd.CORP, null, true);
    JsonObject session = loggedIn("ops.chen", slapd.password);
    assertEquals("ADMIN", session.getJsonObject("user").getString("role"));
    assertEquals(
        200, Api.get("v1/admin/users", session.getString("accessToken")).statusCode(), "an admin");

    slapd.removeMember(
        Slapd.CORP,
        "cn=llm-admins,ou=groups," + Slapd.CORP,
        "uid=ops.chen,ou=people," + Slapd.CORP);
    JsonObject later = loggedIn("ops.chen", slapd.password);
    assertEquals("USER", later.getJsonObject("user").getString("role"));
    assertEquals(403, Api.get("v1/admin/users", later.getString("accessToken")).statusCode());
  }

  @Test
  void wrongPasswordsAreCountedByTheLockoutAsLocalOnesAre() throws Exception {
    String from = address();
    for (int i = 0; i < 5; i++) {
      assertEquals(401, login(from, "guess.target", "wrong-" + i).statusCode());
    }
    var locked = login(from, "guess.target", slapd.password);
    assertEquals(429, locked.statusCode(), "the right password during the lock is refused");
    assertTrue(Json.object(locked.body()).getString("type").endsWith("/login-locked"));
  }

  @Test
  void injectionInTheLoginNameFindsNobody() throws Exception {
    for (String name :
        List.of(
            "*",
            "lin*",
            "lin.wei*",
            "*)(uid=*",
            "lin.wei)(|(uid=*)",
            "lin.wei\\00",
            "lin.wei\u0000",
            "x)(objectClass=*")) {
      var refused = login(address(), name, slapd.password);
      assertEquals(401, refused.statusCode(), name + ": " + refused.body());
      assertTrue(Json.object(refused.body()).getString("type").endsWith("/invalid-credentials"));
    }
    // nothing was made of them
    var users = Api.get("v1/admin/users?search=lin&size=100", Tokens.admin());
    assertFalse(users.body().contains("lin*"), users.body());
  }

  @Test
  void activeDirectoryLayoutBySamAccountNameOrUpnWithMemberOfAndDisabledAccounts()
      throws Exception {
    long group = ModelAccessIT.group("ad-users", false);
    String model = SharedModels.add("ad-model", "");
    ModelAccessIT.openTo(model, group);
    map(ad, "LLM Users", group, false);

    JsonObject bySam = loggedIn("zhao.li", slapd.password);
    assertEquals("zhao.li", bySam.getJsonObject("user").getString("username"));
    assertEquals("赵丽", bySam.getJsonObject("user").getString("displayName"));
    assertTrue(models(bySam.getString("accessToken")).contains(model), "memberOf is mapped");
    JsonObject byUpn = loggedIn("zhao.li@ad.test", slapd.password);
    assertEquals(
        bySam.getJsonObject("user").getJsonNumber("id").longValue(),
        byUpn.getJsonObject("user").getJsonNumber("id").longValue(),
        "the UPN logs in to the same account");

    var disabled = login(address(), "qian.gone", slapd.password);
    assertEquals(401, disabled.statusCode(), "disabled in the directory (userAccountControl 514)");
    assertTrue(audited("qian.gone", "login", "FAILURE"));
    var search = Api.get("v1/admin/users?search=qian", Tokens.admin());
    assertFalse(search.body().contains("qian.gone"), "no account is made for a disabled person");

    // disabled later: refused at the next login
    slapd.modify(
        Slapd.AD,
        "cn=Zhao Li,ou=Staff," + Slapd.AD,
        new Modification(ModificationType.REPLACE, "userAccountControl", "514"));
    try {
      assertEquals(401, login(address(), "zhao.li", slapd.password).statusCode());
    } finally {
      slapd.modify(
          Slapd.AD,
          "cn=Zhao Li,ou=Staff," + Slapd.AD,
          new Modification(ModificationType.REPLACE, "userAccountControl", "512"));
    }
  }

  @Test
  void aTrialLoginShowsWhatALoginWouldGiveAndChangesNothing() throws Exception {
    var trial =
        Api.post(
            "v1/admin/directories/" + corp + "/test-login",
            Tokens.admin(),
            "{\"username\":\"ui.wang\",\"password\":" + q(slapd.password) + "}");
    assertEquals(200, trial.statusCode(), trial.body());
    JsonObject result = Json.object(trial.body());
    assertEquals("authenticated", result.getString("result"), trial.body());
    assertEquals("uid=ui.wang,ou=people," + Slapd.CORP, result.getString("dn"));
    assertTrue(
        result.getJsonArray("groups").stream()
            .anyMatch(g -> "llm-users".equals(g.asJsonObject().getString("name"))),
        trial.body());
    var wrong =
        Api.post(
            "v1/admin/directories/" + corp + "/test-login",
            Tokens.admin(),
            "{\"username\":\"ui.wang\",\"password\":\"not it\"}");
    assertEquals("wrong-password", Json.object(wrong.body()).getString("result"));
  }

  @Test
  void anUnreachableDirectoryIsAClearErrorAndTheBreakGlassAdministratorStillLogsIn()
      throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    long down =
        directory(
            "{\"kind\":\"openldap\",\"name\":"
                + q("down-" + suffix())
                + ",\"position\":5,\"url\":"
                + q("ldap://127.0.0.1:" + closed)
                + ",\"userBase\":\"dc=down,dc=test\"}");
    try {
      var probe = Api.post("v1/admin/directories/" + down + "/test", Tokens.admin(), null);
      assertFalse(Json.object(probe.body()).getBoolean("ok"));
      assertTrue(Json.object(probe.body()).getString("detail").contains("cannot be reached"));

      var unknown = login(address(), "nobody." + suffix(), "whatever-it-is");
      assertEquals(503, unknown.statusCode(), unknown.body());
      assertTrue(Json.object(unknown.body()).getString("type").endsWith("/directory-unavailable"));
      // a person another directory knows still logs in
      assertEquals(200, login(address(), "lin.wei", slapd.password).statusCode());

      var admin = TestAccounts.admin();
      var breakGlass = login(address(), admin.username(), admin.password());
      assertEquals(200, breakGlass.statusCode(), "the local administrator is never locked out");
      assertTrue(audited(admin.username(), "break-glass-login", "SUCCESS"));
    } finally {
      Api.delete("v1/admin/directories/" + down, Tokens.admin());
      DIRECTORIES.remove(Long.valueOf(down));
    }
  }

  @Test
  void withLocalLoginsOffOnlyTheBootstrapAdministratorLogsInLocally() throws Exception {
    var local = TestAccounts.user("local-only");
    var admin = TestAccounts.admin();
    var off =
        Api.put(
            "v1/admin/settings/local-login",
            admin.accessToken(),
            "{\"value\":\"break-glass-only\"}");
    assertEquals(200, off.statusCode(), off.body());
    try {
      assertEquals(
          401,
          login(address(), local.username(), local.password()).statusCode(),
          "a local account other than the bootstrap administrator is refused");
      assertTrue(audited(local.username(), "login", "FAILURE"));
      loggedIn("lin.wei", slapd.password); // directory people are not local logins
      assertEquals(
          200,
          login(address(), admin.username(), admin.password()).statusCode(),
          "the break-glass administrator");
    } finally {
      var on = Api.put("v1/admin/settings/local-login", Tokens.admin(), "{\"value\":\"allowed\"}");
      assertEquals(200, on.statusCode(), on.body());
    }
    assertEquals(200, login(address(), local.username(), local.password()).statusCode());
    var wrong =
        Api.put("v1/admin/settings/local-login", Tokens.admin(), "{\"value\":\"sometimes\"}");
    assertEquals(400, wrong.statusCode(), wrong.body());
  }

  @Test
  void aLocalAccountIsNotTakenOverByADirectoryEntryOfTheSameName() throws Exception {
    String localPassword = Secrets.remember("Local-" + UUID.randomUUID());
    var created =
        Api.post(
            "v1/admin/users",
            Tokens.admin(),
            "{\"username\":\"taken.name\",\"password\":"
                + q(localPassword)
                + ",\"role\":\"USER\"}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(
        401,
        login(address(), "taken.name", slapd.password).statusCode(),
        "the directory's password does not open the local account");
    JsonObject local = loggedIn("taken.name", localPassword).getJsonObject("user");
    assertFalse(local.containsKey("origin") && !local.isNull("origin"), "still the local account");
  }

  @Test
  void aDirectoryPersonLogsInThroughTheLoginPage() throws Exception {
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn("ui.wang", slapd.password);
      browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("session:profile")));
      new ChatPage(browser).ready();
      assertEquals("ui.wang", browser.driver.findElement(By.id("who")).getText());
      browser.screenshot("directory-login.png");
    }
  }

  @Test
  void anAdministratorTestsTheDirectoryAndTriesALoginOnItsPage() throws Exception {
    var admin = TestAccounts.admin();
    try (Browser browser = new Browser()) {
      browser.logInAndOpen("/admin/directories.xhtml", admin.username(), admin.password());
      var row =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(
                  By.xpath("//tr[.//span[@class='name' and starts-with(text(),'corp-')]]")));
      row.findElement(By.cssSelector(".test")).click();
      var connected =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(By.id("directories:probeOk")));
      assertTrue(connected.getText().contains("Connected"), connected.getText());

      browser
          .driver
          .findElement(
              By.xpath(
                  "//tr[.//span[@class='name' and starts-with(text(),'corp-')]]//button"
                      + "[contains(@class,'choose')]"))
          .click();
      // the panel comes with the AJAX update: wait until its field takes input
      browser.wait.until(
          ExpectedConditions.elementToBeClickable(Browser.input("directories:trialUsername")));
      browser.type(Browser.input("directories:trialUsername"), "lin.wei");
      browser.type(Browser.input("directories:trialPassword"), slapd.password);
      browser.driver.findElement(By.id("directories:tryLogin")).click();
      var result =
          browser.wait.until(
              ExpectedConditions.visibilityOfElementLocated(By.id("directories:trialResult")));
      assertEquals("Password accepted", result.getText());
      assertTrue(
          browser
              .driver
              .findElement(By.id("directories:trialGroups"))
              .getText()
              .contains("llm-users"));
      browser.screenshot("admin-directories.png");
    }
  }

  /** A directory of the corp people, reached as {@code url}; disabled unless {@code enabled}. */
  private static long corpAt(String url, boolean startTls, String ca, boolean enabled)
      throws Exception {
    return directory(
        "{\"kind\":\"openldap\",\"name\":"
            + q("tls-" + suffix())
            + ",\"position\":9,\"enabled\":"
            + enabled
            + ",\"url\":"
            + q(url)
            + ",\"startTls\":"
            + startTls
            + (ca == null ? "" : ",\"caCertificates\":" + q(ca))
            + ",\"userBase\":"
            + q(Slapd.CORP)
            + ",\"bindDn\":"
            + q(Slapd.CORP_SERVICE)
            + ",\"bindPassword\":"
            + q(slapd.servicePassword)
            + "}");
  }

  private static JsonObject probe(long directory) throws Exception {
    var probe = Api.post("v1/admin/directories/" + directory + "/test", Tokens.admin(), null);
    assertEquals(200, probe.statusCode(), probe.body());
    return Json.object(probe.body());
  }

  @Test
  void ldapsAndStartTlsTrustTheGivenCaAndCheckTheHostName() throws Exception {
    List<Long> made = new ArrayList<>();
    try {
      long ldaps = corpAt(slapd.tlsUrl("localhost"), false, slapd.certificatePem, false);
      made.add(ldaps);
      JsonObject secured = probe(ldaps);
      assertTrue(secured.getBoolean("ok"), secured.toString());
      assertTrue(secured.getString("detail").contains("over TLS"), secured.toString());
      var trial =
          Api.post(
              "v1/admin/directories/" + ldaps + "/test-login",
              Tokens.admin(),
              "{\"username\":\"lin.wei\",\"password\":" + q(slapd.password) + "}");
      assertEquals("authenticated", Json.object(trial.body()).getString("result"), trial.body());

      long startTls = corpAt("ldap://localhost:" + slapd.port, true, slapd.certificatePem, false);
      made.add(startTls);
      JsonObject upgraded = probe(startTls);
      assertTrue(upgraded.getBoolean("ok"), upgraded.toString());
      assertTrue(upgraded.getString("detail").contains("over TLS"), upgraded.toString());

      long untrusted = corpAt(slapd.tlsUrl("localhost"), false, null, false);
      made.add(untrusted);
      assertFalse(probe(untrusted).getBoolean("ok"), "a certificate no CA vouches for is refused");

      long byAddress = corpAt(slapd.tlsUrl("127.0.0.1"), false, slapd.certificatePem, false);
      made.add(byAddress);
      assertFalse(
          probe(byAddress).getBoolean("ok"), "the host name must be the certificate's (localhost)");
    } finally {
      for (long id : made) {
        Api.delete("v1/admin/directories/" + id, Tokens.admin());
        DIRECTORIES.remove(Long.valueOf(id));
      }
    }
  }
}
