package com.llmchat.conversations.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AttachmentNamesTest {

  @Test
  void aFilesNameIsItsLastPartWithoutControlCharacters() {
    assertEquals("report.pdf", Attachments.fileName("C:\\fakepath\\report.pdf"));
    assertEquals("passwd", Attachments.fileName("../../etc/passwd"));
    assertEquals("计划 v2.docx", Attachments.fileName(" 计划 v2.docx "));
    assertEquals("evilfdp.exe", Attachments.fileName("evil\u202efdp.exe\u0000"));
    assertEquals("file", Attachments.fileName(".."));
    assertEquals("file", Attachments.fileName("dir/"));
    assertEquals("file", Attachments.fileName(null));
    assertEquals(255, Attachments.fileName("a".repeat(300)).length());
  }
}
