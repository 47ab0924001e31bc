package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files attached to messages, end to end: text-like files become context of their message (what
 * reached the model server is checked there), images go as image parts to models that take them and
 * are refused for others, content types are read from the bytes, sizes are checked in bytes and
 * against the model's window, downloads are attachments, and files go with their conversation.
 */
class AttachmentsIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void documentsBecomeContextOfTheirMessageAndComeBackAsDownloads() throws Exception {
    String user = TestAccounts.user("reader").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    byte[] docx = docx("部署步骤：先升级驱动，再重启推理服务。");
    // named .txt: the type is read from the bytes, not the name
    JsonObject word = upload(user, conversation, "计划 v2.txt", docx).body;
    assertEquals(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        word.getString("mediaType"));
    assertEquals("text", word.getString("kind"));
    assertFalse(word.containsKey("messageId"));
    byte[] notes = "显存：80GB；并发：16".getBytes(Charset.forName("GB18030"));
    JsonObject text = upload(user, conversation, "C:\\fakepath\\notes.csv", notes).body;
    assertEquals("notes.csv", text.getString("name"));
    assertEquals("text/plain", text.getString("mediaType"));

    var sent =
        send(
            user,
            conversation,
            "总结一下 [sim tokens=2 gap-ms=1]",
            word.getInt("id"),
            text.getInt("id"));
    assertEquals("complete", sent.reply().getString("status"), sent.events().toString());
    String prompt = lastUserContent().toString();
    assertTrue(
        prompt.contains("<file name=\\\"计划 v2.txt\\\">\\n部署步骤：先升级驱动，再重启推理服务。\\n</file>"), prompt);
    assertTrue(prompt.contains("显存：80GB；并发：16"), prompt);
    assertTrue(prompt.indexOf("</file>") < prompt.indexOf("总结一下"), prompt);

    // the message lists its files; their tokens count in the prompt's estimate
    JsonObject question = messages(user, conversation).getJsonObject(0);
    JsonArray files = question.getJsonArray("attachments");
    assertEquals(2, files.size(), question.toString());
    assertEquals(question.getInt("id"), files.getJsonObject(0).getInt("messageId"));

    // back as a download: the bytes as sent, never shown inline, never sniffed
    var download =
        Platform.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        Platform.APP
                            + "/api/v1/conversations/"
                            + conversation
                            + "/attachments/"
                            + word.getInt("id")))
                .header("Authorization", "Bearer " + user)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, download.statusCode());
    assertArrayEquals(docx, download.body());
    assertEquals(
        "application/octet-stream", download.headers().firstValue("Content-Type").orElse(""));
    String disposition = download.headers().firstValue("Content-Disposition").orElse("");
    assertTrue(disposition.startsWith("attachment; filename=\"__ v2.txt\""), disposition);
    assertTrue(disposition.contains("filename*=UTF-8''%E8%AE%A1%E5%88%92%20v2.txt"), disposition);
    assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElse(""));

    // a sent file stays with its message
    var removal =
        Api.delete("v1/conversations/" + conversation + "/attachments/" + word.getInt("id"), user);
    assertEquals(409, removal.statusCode(), removal.body());
    assertTrue(removal.body().contains("attachment-sent"), removal.body());

    // an edit keeps the files of the question it replaces
    var edited =
        SseClient.stream(
            user,
            "v1/conversations/" + conversation + "/messages/" + question.getInt("id") + "/edit",
            "{\"content\":\"只看第一份 [sim tokens=2 gap-ms=1]\"}");
    assertEquals("complete", edited.reply().getString("status"), edited.events().toString());
    assertTrue(lastUserContent().toString().contains("先升级驱动"));
    JsonObject editedQuestion = messages(user, conversation).getJsonObject(0);
    assertEquals(2, editedQuestion.getJsonArray("attachments").size(), editedQuestion.toString());

    // deleting the conversation deletes its files
    assertEquals(204, Api.delete("v1/conversations/" + conversation, user).statusCode());
    assertEquals(
        "0",
        Platform.queryOne(
            "select count(*) from attachment where conversation_id = ?", conversation));
  }

  @Test
  void imagesGoToModelsThatTakeThemAsImageParts() throws Exception {
    String user = TestAccounts.user("viewer").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    byte[] png = png(640, 480);
    JsonObject image = upload(user, conversation, "screenshot.png", png).body;
    assertEquals("image/png", image.getString("mediaType"));
    assertEquals(640, image.getInt("width"));
    // 640 x 480 is not scaled: two tiles of 512
    assertEquals(85 + 170 * 2, image.getInt("tokens"));

    var sent = send(user, conversation, "What is on it? [sim gap-ms=1]", image.getInt("id"));
    assertEquals("complete", sent.reply().getString("status"), sent.events().toString());
    JsonArray parts = (JsonArray) lastUserContent();
    assertEquals("text", parts.getJsonObject(0).getString("type"));
    assertEquals("What is on it? [sim gap-ms=1]", parts.getJsonObject(0).getString("text"));
    String url = parts.getJsonObject(1).getJsonObject("image_url").getString("url");
    assertTrue(url.startsWith("data:image/png;base64,"), url);
    assertArrayEquals(png, Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)));
    // the simulator says what it was shown
    assertEquals(
        "I received 1 image: image/png, " + png.length + " bytes. Text: What is on it?",
        sent.reply().getString("content"));

    // an image alone is a message too
    JsonObject second = upload(user, conversation, "second.png", png(8, 8)).body;
    var alone = send(user, conversation, "", second.getInt("id"));
    assertEquals("complete", alone.reply().getString("status"), alone.events().toString());
    // the image of the first question is in the history of the second
    assertEquals(2, imagePartsInPrompt());
  }

  @Test
  void imagesAreRefusedForModelsThatTakeNoneAndTheMessageWaits() throws Exception {
    String user = TestAccounts.user("blind").accessToken();
    String blind = SharedModels.add("blind", "");
    long conversation = SseClient.conversation(user, blind);
    var refused = upload(user, conversation, "chart.png", png(100, 100));
    assertEquals(422, refused.status, refused.text);
    assertTrue(refused.text.contains("images-not-taken"), refused.text);
    assertTrue(refused.text.contains(blind + " does not take images"), refused.text);

    // uploaded while the model took images, sent after it changed to one that takes none
    long other = SseClient.conversation(user, "demo");
    JsonObject image = upload(user, other, "chart.png", png(100, 100)).body;
    assertEquals(
        200,
        Api.call("PATCH", "v1/conversations/" + other, user, "{\"model\":" + Api.q(blind) + "}")
            .statusCode());
    var notSent = send(user, other, "and now?", image.getInt("id"));
    assertEquals(422, notSent.status());
    // nothing stored: the file still waits for a message
    assertEquals(0, messages(user, other).size());
    assertFalse(list(user, other).getJsonObject(0).containsKey("messageId"), "the file was bound");
  }

  @Test
  void filesAreCheckedByContentSizeAndTheModelsWindow() throws Exception {
    String user = TestAccounts.user("checker").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    var binary = upload(user, conversation, "readme.txt", elf);
    assertEquals(415, binary.status, binary.text);
    assertTrue(binary.text.contains("file-unsupported"), binary.text);
    // an SVG or a page of HTML named as a PNG is a disguise: refused, not kept as text
    byte[] svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>"
            .getBytes(StandardCharsets.UTF_8);
    var svgAsPng = upload(user, conversation, "chart.png", svg);
    assertEquals(415, svgAsPng.status, svgAsPng.text);
    assertTrue(svgAsPng.text.contains("file-unsupported"), svgAsPng.text);
    assertTrue(svgAsPng.text.contains("chart.png is named as an image"), svgAsPng.text);
    var htmlAsPng =
        upload(
            user,
            conversation,
            "photo.png",
            "<html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8));
    assertEquals(415, htmlAsPng.status, htmlAsPng.text);
    assertEquals(
        "[]", Api.get("v1/conversations/" + conversation + "/attachments", user).body().strip());
    var broken =
        upload(
            user,
            conversation,
            "report.pdf",
            "%PDF-1.7\nnot really".getBytes(StandardCharsets.US_ASCII));
    assertEquals(422, broken.status, broken.text);
    assertTrue(broken.text.contains("file-unreadable"), broken.text);

    // the test run takes 2 MiB (LLMCHAT_ATTACHMENTS_MAX_BYTES)
    byte[] large = new byte[2 * 1024 * 1024 + 1];
    Arrays.fill(large, (byte) 'a');
    var tooLarge = upload(user, conversation, "large.txt", large);
    assertEquals(413, tooLarge.status, tooLarge.text);
    assertTrue(tooLarge.text.contains("file-too-large"), tooLarge.text);

    String small =
        SharedModels.add("small", Platform.simulator().baseUrl(), "", ",\"contextLimit\":300");
    long narrow = SseClient.conversation(user, small);
    String words = "word ".repeat(2_000);
    var overWindow = upload(user, narrow, "words.md", words.getBytes(StandardCharsets.UTF_8));
    assertEquals(413, overWindow.status, overWindow.text);
    assertTrue(overWindow.text.contains("too-large-for-model"), overWindow.text);
    assertTrue(overWindow.text.contains("words.md is about 2,00"), overWindow.text);
    assertTrue(overWindow.text.contains("takes 300 with room for the reply"), overWindow.text);

    // two files that fit one by one, but not together in one message
    long id1 =
        upload(user, narrow, "a.md", "word ".repeat(160).getBytes(StandardCharsets.UTF_8))
            .body
            .getInt("id");
    long id2 =
        upload(user, narrow, "b.md", "word ".repeat(160).getBytes(StandardCharsets.UTF_8))
            .body
            .getInt("id");
    var together = send(user, narrow, "both", id1, id2);
    assertEquals(413, together.status());
    assertEquals(0, messages(user, narrow).size());
    assertEquals(
        204, Api.delete("v1/conversations/" + narrow + "/attachments/" + id2, user).statusCode());
    var one = send(user, narrow, "one [sim tokens=1 gap-ms=1]", id1);
    assertEquals("complete", one.reply().getString("status"), one.events().toString());

    // a file of another conversation is not sent with this one
    long elsewhere =
        upload(user, conversation, "x.md", "x".getBytes(StandardCharsets.UTF_8)).body.getInt("id");
    var stray = send(user, narrow, "stray", elsewhere);
    assertEquals(404, stray.status());
  }

  @Test
  void aMultipartFormUploadsToo() throws Exception {
    String user = TestAccounts.user("former").accessToken();
    long conversation = SseClient.conversation(user, "demo");
    String boundary = "----llmchat" + System.nanoTime();
    String form =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.md\"\r\n"
            + "Content-Type: text/markdown\r\n\r\n# Notes\nline\r\n--"
            + boundary
            + "--\r\n";
    var response =
        Platform.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        Platform.APP + "/api/v1/conversations/" + conversation + "/attachments"))
                .header("Authorization", "Bearer " + user)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, response.statusCode(), response.body());
    JsonObject stored = Json.object(response.body());
    assertEquals("notes.md", stored.getString("name"));
    assertEquals("text/plain", stored.getString("mediaType"));
    assertEquals(1, list(user, conversation).size());
  }

  @Test
  void filesGoWithAnExportAndComeBackWithItsImport() throws Exception {
    var owner = TestAccounts.user("exporter");
    long conversation = SseClient.conversation(owner.accessToken(), "demo");
    byte[] png = png(16, 16);
    JsonObject image = upload(owner.accessToken(), conversation, "logo.png", png).body;
    JsonObject notes =
        upload(
                owner.accessToken(),
                conversation,
                "notes.md",
                // 1.2 MB: the export is larger than the API's 1 MB body limit, which an import
                // passes
                ("# 纪要\n" + "a line of the meeting's notes\n".repeat(42_000))
                    .getBytes(StandardCharsets.UTF_8))
            .body;
    send(
        owner.accessToken(),
        conversation,
        "keep [sim tokens=1 gap-ms=1]",
        image.getInt("id"),
        notes.getInt("id"));

    var exported =
        Api.get("v1/conversations/" + conversation + "/export?format=json", owner.accessToken());
    assertEquals(200, exported.statusCode());
    assertTrue(exported.body().contains("\"attachments\""), exported.body());
    var markdown =
        Api.get(
            "v1/conversations/" + conversation + "/export?format=markdown", owner.accessToken());
    assertTrue(markdown.body().contains("*Attached: logo.png, notes.md*"), markdown.body());
    // the data-subject export has them too
    var subject = Api.get("v1/admin/users/" + owner.id() + "/conversations/export", Tokens.admin());
    assertTrue(subject.body().contains(Base64.getEncoder().encodeToString(png)));

    String other = TestAccounts.user("importer").accessToken();
    var imported = Api.post("v1/conversations/import", other, exported.body());
    assertEquals(201, imported.statusCode(), imported.body());
    long copy = Json.object(imported.body()).getJsonArray("ids").getJsonNumber(0).longValue();
    JsonObject question = messages(other, copy).getJsonObject(0);
    JsonArray files = question.getJsonArray("attachments");
    assertEquals(2, files.size(), question.toString());
    assertEquals("image/png", files.getJsonObject(0).getString("mediaType"));
    var bytes =
        Platform.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        Platform.APP
                            + "/api/v1/conversations/"
                            + copy
                            + "/attachments/"
                            + files.getJsonObject(0).getInt("id")))
                .header("Authorization", "Bearer " + other)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(png, bytes.body());

    // a file that is not what an upload takes fails the import, saying where
    String forged =
        exported
            .body()
            .replace(Base64.getEncoder().encodeToString(png), "f0VMRgIBAQAAAAAAAAAAAA==");
    var refused = Api.post("v1/conversations/import", other, forged);
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("conversation 1, message 1, file logo.png"), refused.body());
  }

  @Test
  void inTheBrowserFilesAreAttachedSentShownAndRefusedWithATranslatedMessage() throws Exception {
    var user = TestAccounts.user("attacher");
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("attach");
    java.nio.file.Path image = java.nio.file.Files.write(dir.resolve("screen.png"), png(320, 200));
    java.nio.file.Path notes =
        java.nio.file.Files.write(
            dir.resolve("notes.md"), "# 会议纪要\n- 周一上线".getBytes(StandardCharsets.UTF_8));
    java.nio.file.Path binary =
        java.nio.file.Files.write(
            dir.resolve("tool.txt"), new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 0});
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      var input = browser.driver.findElement(org.openqa.selenium.By.id("attach-input"));
      browser.js("arguments[0].hidden = false", input);
      input.sendKeys(image + "\n" + notes);
      browser
          .waitSaying(
              () ->
                  "tray: "
                      + browser
                          .driver
                          .findElement(org.openqa.selenium.By.id("file-tray"))
                          .getText())
          .until(
              d ->
                  d.findElements(org.openqa.selenium.By.cssSelector("#file-tray .file-remove"))
                          .size()
                      == 2);
      assertTrue(
          browser
              .driver
              .findElement(org.openqa.selenium.By.id("file-tray"))
              .getText()
              .contains("notes.md"));

      chat.send("Describe [sim gap-ms=1]");
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
      assertTrue(
          chat.lastReplyText().startsWith("I received 1 image: image/png"), chat.lastReplyText());
      assertTrue(
          browser.driver.findElement(org.openqa.selenium.By.id("file-tray")).getAttribute("hidden")
              != null,
          "the tray is emptied by the send");
      // after a reload the question shows its files from the server, the image as a thumbnail
      browser.driver.navigate().refresh();
      new ChatPage(browser).ready();
      browser
          .waitSaying(() -> "no thumbnail")
          .until(
              d ->
                  (Boolean)
                      browser.js(
                          "const i = document.querySelector('.message.user .file-thumbnail');"
                              + " return !!i && i.complete && i.naturalWidth === 320;"));
      assertEquals(
          2,
          browser
              .driver
              .findElements(org.openqa.selenium.By.cssSelector(".message.user .file-item"))
              .size());
      browser.screenshot("attachments.png");

      // a binary file named .txt is refused with the translated sentence, and nothing waits
      input = browser.driver.findElement(org.openqa.selenium.By.id("attach-input"));
      browser.js("arguments[0].hidden = false", input);
      input.sendKeys(binary.toString());
      browser
          .waitSaying(() -> "no refusal shown")
          .until(
              d ->
                  !d.findElements(org.openqa.selenium.By.id("chat-banner")).isEmpty()
                      && d.findElement(org.openqa.selenium.By.id("chat-banner"))
                          .getText()
                          .contains("tool.txt: This kind of file cannot be attached"));
      assertEquals(
          0,
          browser
              .driver
              .findElements(org.openqa.selenium.By.cssSelector("#file-tray .file-chip"))
              .size());
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  record Upload(int status, String text, JsonObject body) {}

  static Upload upload(String token, long conversation, String name, byte[] bytes)
      throws IOException, InterruptedException {
    var response =
        Platform.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        Platform.APP
                            + "/api/v1/conversations/"
                            + conversation
                            + "/attachments?name="
                            + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Upload(
        response.statusCode(),
        response.body(),
        response.statusCode() == 201 ? Json.object(response.body()) : null);
  }

  static SseClient.Result send(String token, long conversation, String content, long... files)
      throws IOException, InterruptedException {
    var ids = jakarta.json.Json.createArrayBuilder();
    for (long id : files) {
      ids.add(id);
    }
    return SseClient.stream(
        token,
        "v1/conversations/" + conversation + "/messages",
        jakarta.json.Json.createObjectBuilder()
            .add("content", content)
            .add("attachmentIds", ids)
            .build()
            .toString());
  }

  private static JsonArray messages(String token, long conversation) throws Exception {
    return Json.object(Api.get("v1/conversations/" + conversation + "/messages", token).body())
        .getJsonArray("items");
  }

  private static JsonArray list(String token, long conversation) throws Exception {
    return Json.array(Api.get("v1/conversations/" + conversation + "/attachments", token).body());
  }

  /** The content of the last user message the model server received: a string or parts. */
  private static jakarta.json.JsonValue lastUserContent() {
    JsonArray sent =
        Json.object(Platform.simulator().lastCompletion().encode()).getJsonArray("messages");
    for (int i = sent.size() - 1; i >= 0; i--) {
      if (sent.getJsonObject(i).getString("role").equals("user")) {
        return sent.getJsonObject(i).get("content");
      }
    }
    throw new AssertionError("no user message in " + sent);
  }

  private static long imagePartsInPrompt() {
    JsonArray sent =
        Json.object(Platform.simulator().lastCompletion().encode()).getJsonArray("messages");
    return sent.stream()
        .map(m -> m.asJsonObject().get("content"))
        .filter(c -> c instanceof JsonArray)
        .flatMap(c -> c.asJsonArray().stream())
        .filter(p -> p.asJsonObject().getString("type").equals("image_url"))
        .count();
  }

  static byte[] png(int width, int height) throws IOException {
    var out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }

  static byte[] docx(String... paragraphs) throws IOException {
    try (var document = new XWPFDocument()) {
      for (String paragraph : paragraphs) {
        document.createParagraph().createRun().setText(paragraph);
      }
      var out = new ByteArrayOutputStream();
      document.write(out);
      return out.toByteArray();
    }
  }
}
