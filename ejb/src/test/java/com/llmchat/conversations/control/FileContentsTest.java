package com.llmchat.conversations.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.conversations.control.FileContents.UnreadableFileException;
import com.llmchat.conversations.control.FileContents.UnreadableFileException.Why;
import com.llmchat.conversations.entity.AttachmentKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;

class FileContentsTest {

  @Test
  void utf8TextIsTextWhateverItsName() throws Exception {
    var read = FileContents.read("名称,数量\n模型,3\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(AttachmentKind.TEXT, read.kind());
    assertEquals("text/plain", read.mediaType());
    assertEquals("名称,数量\n模型,3\n", read.text());
  }

  @Test
  void gb18030AndUtf16TextAreDecoded() throws Exception {
    String text = "部署指南：显存不足时降低并发。";
    assertEquals(text, FileContents.read(text.getBytes(Charset.forName("GB18030"))).text());
    byte[] utf16 = text.getBytes(StandardCharsets.UTF_16); // with its byte order mark
    assertEquals(text, FileContents.read(utf16).text());
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'h', 'i'};
    assertEquals("hi", FileContents.read(bom).text());
  }

  @Test
  void binaryFilesAreRefusedEvenNamedTxt() {
    byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0};
    assertEquals(Why.UNSUPPORTED, refusal(elf));
    byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(Why.UNSUPPORTED, refusal(gif));
    assertEquals(Why.UNREADABLE, refusal(new byte[0]));
    assertEquals(Why.UNREADABLE, refusal(" \n\t ".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void imagesAreToldByTheirBytesWithTheirPixels() throws Exception {
    var png = FileContents.read(image("png", 640, 480));
    assertEquals(AttachmentKind.IMAGE, png.kind());
    assertEquals("image/png", png.mediaType());
    assertEquals(640, png.width());
    assertEquals(480, png.height());
    var jpeg = FileContents.read(image("jpeg", 33, 1200));
    assertEquals("image/jpeg", jpeg.mediaType());
    assertEquals(33, jpeg.width());
    assertEquals(1200, jpeg.height());
  }

  @Test
  void markupOrTextNamedAsAnImageIsADisguiseAndRefused() throws Exception {
    byte[] svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
            .getBytes(StandardCharsets.UTF_8);
    byte[] html =
        "<!doctype html><html><body onload=alert(1)>hi</body></html>"
            .getBytes(StandardCharsets.UTF_8);
    var disguised =
        assertThrows(UnreadableFileException.class, () -> FileContents.read("chart.png", svg));
    assertEquals(Why.UNSUPPORTED, disguised.why());
    assertTrue(
        disguised.getMessage().contains("chart.png is named as an image"), disguised.getMessage());
    assertEquals(
        Why.UNSUPPORTED,
        assertThrows(UnreadableFileException.class, () -> FileContents.read("photo.JPG", html))
            .why());
    assertEquals(
        Why.UNSUPPORTED,
        assertThrows(UnreadableFileException.class, () -> FileContents.read("a.gif", html)).why());
    // named for what it is, markup is text like any other; an image with the wrong suffix is an
    // image
    assertEquals(AttachmentKind.TEXT, FileContents.read("chart.svg", svg).kind());
    assertEquals(AttachmentKind.TEXT, FileContents.read("page.html", html).kind());
    assertEquals("image/jpeg", FileContents.read("photo.png", image("jpeg", 8, 8)).mediaType());
    assertTrue(FileContents.namedAsImage("scan.WebP"));
    assertTrue(!FileContents.namedAsImage("notes.txt") && !FileContents.namedAsImage("png"));
  }

  @Test
  void webpPixelsFromEachOfItsHeaders() throws Exception {
    // VP8L (lossless): 14 bits of width - 1, then 14 of height - 1, after the 0x2f signature
    int bits = (300 - 1) | (200 - 1) << 14;
    byte[] lossless =
        webp("VP8L", 0x2f, bits & 0xff, bits >> 8 & 0xff, bits >> 16 & 0xff, bits >> 24);
    var read = FileContents.read(lossless);
    assertEquals("image/webp", read.mediaType());
    assertEquals(300, read.width());
    assertEquals(200, read.height());
    // VP8X (extended): 24-bit canvas width - 1 and height - 1 at 24 and 27
    byte[] extended = webp("VP8X", 0, 0, 0, 0, 0xff, 0x03, 0, 0x1f, 0x02, 0);
    read = FileContents.read(extended);
    assertEquals(1024, read.width());
    assertEquals(544, read.height());
  }

  @Test
  void aDamagedImageIsUnreadable() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    assertEquals(Why.UNREADABLE, refusal(png));
    byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9};
    assertEquals(Why.UNREADABLE, refusal(jpeg));
  }

  @Test
  void pdfTextIsExtracted() throws Exception {
    var read = FileContents.read(pdf("Quarterly GPU budget: 48 cards", null));
    assertEquals(AttachmentKind.TEXT, read.kind());
    assertEquals(FileContents.PDF, read.mediaType());
    assertTrue(read.text().contains("Quarterly GPU budget: 48 cards"), read.text());
  }

  @Test
  void aPdfWithAPasswordOrNoTextIsUnreadable() throws Exception {
    assertEquals(Why.UNREADABLE, refusal(pdf("secret", "open sesame")));
    assertEquals(Why.UNREADABLE, refusal(pdf(null, null)));
    assertEquals(Why.UNREADABLE, refusal("%PDF-1.7\n garbage".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void controlCharactersAreDroppedFromExtractedText() throws Exception {
    // a damaged font maps glyphs to NUL and the like: PostgreSQL stores no NUL in text
    assertEquals("ab c\td\ne", FileContents.withText("PDF", "\u0000a\u0001b c\td\u007f\ne\u001f"));
    assertEquals(
        Why.UNREADABLE,
        assertThrows(
                UnreadableFileException.class,
                () -> FileContents.withText("PDF", "\u0000\u0000 \u0008"))
            .why());
  }

  @Test
  void docxTextIsExtractedAndOtherZipsRefused() throws Exception {
    var read = FileContents.read(docx("第一段：部署步骤", "Second paragraph"));
    assertEquals(FileContents.DOCX, read.mediaType());
    assertTrue(read.text().contains("第一段：部署步骤"), read.text());
    assertTrue(read.text().contains("Second paragraph"), read.text());

    var zip = new ByteArrayOutputStream();
    try (var out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("notes.txt"));
      out.write("not a document".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertEquals(Why.UNSUPPORTED, refusal(zip.toByteArray()));
  }

  @Test
  void imageTokensFollowTheTileRule() {
    assertEquals(85 + 170, FileContents.imageTokens(512, 512));
    // 1024 x 1024 -> 768 x 768: four tiles
    assertEquals(85 + 170 * 4, FileContents.imageTokens(1024, 1024));
    // 4096 x 8192 -> 1024 x 2048 -> 768 x 1536: 2 x 3 tiles
    assertEquals(85 + 170 * 6, FileContents.imageTokens(4096, 8192));
  }

  private static Why refusal(byte[] bytes) {
    return assertThrows(UnreadableFileException.class, () -> FileContents.read(bytes)).why();
  }

  private static byte[] image(String format, int width, int height) throws IOException {
    var out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, out);
    return out.toByteArray();
  }

  private static byte[] webp(String chunk, int... payload) {
    byte[] bytes = new byte[20 + payload.length + 16];
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
    System.arraycopy("WEBP".getBytes(StandardCharsets.US_ASCII), 0, bytes, 8, 4);
    System.arraycopy(chunk.getBytes(StandardCharsets.US_ASCII), 0, bytes, 12, 4);
    for (int i = 0; i < payload.length; i++) {
      bytes[20 + i] = (byte) payload[i];
    }
    return bytes;
  }

  private static byte[] pdf(String text, String password) throws IOException {
    try (var document = new PDDocument()) {
      var page = new PDPage();
      document.addPage(page);
      if (text != null) {
        try (var content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          content.newLineAtOffset(72, 700);
          content.showText(text);
          content.endText();
        }
      }
      if (password != null) {
        var policy = new StandardProtectionPolicy(password, password, new AccessPermission());
        policy.setEncryptionKeyLength(128);
        document.protect(policy);
      }
      var out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    }
  }

  private static byte[] docx(String... paragraphs) throws IOException {
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
