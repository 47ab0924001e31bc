package com.llmchat.conversations.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.conversations.control.ConversationFiles.Transferred;
import com.llmchat.conversations.control.ConversationFiles.TransferredMessage;
import com.llmchat.conversations.control.ConversationFiles.UnreadableFile;
import com.llmchat.json.JsonFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationFilesTest {

  private static final OffsetDateTime T = OffsetDateTime.parse("2026-12-05T10:00:00.123456Z");

  private static Transferred sample() {
    return new Transferred(
        "Plans 计划",
        "model",
        "demo",
        "Be brief.",
        0.5,
        256,
        T,
        T.plusMinutes(3),
        List.of(
            new TransferredMessage("user", "Hello *there*", null, "complete", null, null, T),
            new TransferredMessage(
                "assistant",
                "Hi.\n\n```java\nint x;\n```",
                "Greeting first",
                "complete",
                "demo",
                null,
                T.plusSeconds(2)),
            new TransferredMessage(
                "assistant",
                "Partial",
                null,
                "interrupted",
                "demo",
                "broke off",
                T.plusSeconds(9))));
  }

  @Test
  void ourJsonReadsBackEqual() {
    String file =
        ConversationFiles.envelope()
            .add("conversations", JsonFactory.array().add(ConversationFiles.json(sample())))
            .build()
            .toString();
    assertEquals(List.of(sample()), ConversationFiles.read(JsonFactory.parse(file)));
  }

  @Test
  void markdownShowsWhoSaidWhatAndHowARepliesEnded() {
    String text = ConversationFiles.markdown(sample(), "You", "Assistant");
    assertTrue(text.startsWith("# Plans 计划\n"), text);
    assertTrue(text.contains("> Be brief."), text);
    assertTrue(text.contains("## You · 2026-12-05T10:00Z\n\nHello *there*"), text);
    assertTrue(text.contains("## Assistant (demo)"), text);
    assertTrue(text.contains("> Greeting first"), text);
    assertTrue(text.contains("```java\nint x;\n```"), text);
    assertTrue(text.contains("*(interrupted: broke off)*"), text);
  }

  @Test
  void chatGptsExportIsReadAlongTheBranchTheUserLastSaw() throws IOException {
    List<Transferred> read = ConversationFiles.read(JsonFactory.parse(fixture()));
    assertEquals(2, read.size());
    Transferred first = read.get(0);
    assertEquals("数据模型的更新", first.title());
    assertEquals("gpt-4o-mini", first.model());
    assertEquals(OffsetDateTime.parse("2024-12-05T09:00:00.123456Z"), first.createdAt());
    assertEquals(2, first.messages().size(), "the hidden system message and the replaced reply");
    assertEquals("我们的数据模型需要更新吗？", first.messages().get(0).content(), "the image left out");
    assertEquals("需要。先备份，再升级。", first.messages().get(1).content());
    assertEquals("gpt-4o-mini", first.messages().get(1).model());

    Transferred second = read.get(1);
    assertEquals(
        List.of("user", "assistant"),
        second.messages().stream().map(TransferredMessage::role).toList(),
        "a tool's message is not the user's nor the model's");
    assertEquals("print('sunny')", second.messages().get(1).content());
    assertNull(second.systemPrompt());
  }

  @Test
  void otherFilesAreRefusedSayingWhy() {
    var notOurs = assertThrows(UnreadableFile.class, () -> read("{\"hello\":1}"));
    assertTrue(notOurs.getMessage().contains("ChatGPT"), notOurs.getMessage());
    var badRole =
        assertThrows(
            UnreadableFile.class,
            () ->
                read(
                    "{\"format\":\"llmchat-conversations\",\"version\":1,\"conversations\":[{\"title\":\"t\","
                        + "\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}]}"));
    assertEquals(
        "conversation 1, message 1: role is user or assistant, not system", badRole.getMessage());
    var tooLong =
        assertThrows(
            UnreadableFile.class,
            () ->
                read(
                    "{\"format\":\"llmchat-conversations\",\"version\":1,\"conversations\":[{\"title\":\"t\","
                        + "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + "x".repeat(100_001)
                        + "\"}]}]}"));
    assertTrue(tooLong.getMessage().contains("100,000"), tooLong.getMessage());
    assertThrows(
        UnreadableFile.class,
        () -> read("{\"format\":\"llmchat-conversations\",\"version\":2,\"conversations\":[]}"));
  }

  @Test
  void aLoopInChatGptsTreeIsRefused() {
    String loop =
        "[{\"title\":\"x\",\"current_node\":\"a\",\"mapping\":{"
            + "\"a\":{\"id\":\"a\",\"parent\":\"b\",\"children\":[]},"
            + "\"b\":{\"id\":\"b\",\"parent\":\"a\",\"children\":[\"a\"]}}}]";
    assertThrows(UnreadableFile.class, () -> read(loop));
  }

  private static List<Transferred> read(String json) {
    return ConversationFiles.read(JsonFactory.parse(json));
  }

  private static String fixture() throws IOException {
    try (InputStream in =
        ConversationFilesTest.class.getResourceAsStream("/transfer/chatgpt-conversations.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void filesTravelInOurJsonAsBase64AndAreNamedInMarkdown() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1};
    var withFiles =
        new Transferred(
            "Files",
            "user",
            "demo",
            null,
            null,
            null,
            T,
            T,
            List.of(
                new TransferredMessage(
                    "user",
                    "",
                    null,
                    "complete",
                    null,
                    null,
                    T,
                    List.of(
                        new ConversationFiles.TransferredFile("chart.png", "image/png", png)))));
    String file =
        ConversationFiles.envelope()
            .add("conversations", JsonFactory.array().add(ConversationFiles.json(withFiles)))
            .build()
            .toString();
    var read = ConversationFiles.read(JsonFactory.parse(file)).get(0).messages().get(0).files();
    assertEquals(1, read.size());
    assertEquals("chart.png", read.get(0).name());
    assertEquals("image/png", read.get(0).mediaType());
    assertTrue(java.util.Arrays.equals(png, read.get(0).content()));
    assertTrue(
        ConversationFiles.markdown(withFiles, "You", "Assistant")
            .contains("*Attached: chart.png*"));

    String broken = file.replace(java.util.Base64.getEncoder().encodeToString(png), "not base64!");
    var refused =
        assertThrows(UnreadableFile.class, () -> ConversationFiles.read(JsonFactory.parse(broken)));
    assertEquals(
        "conversation 1, message 1, attachment 1: the content is not base64", refused.getMessage());
  }
}
