package com.llmchat.conversations.control;

import com.llmchat.conversations.entity.AttachmentKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * What an attached file is, told by its bytes and never by its name: an image (PNG, JPEG, WebP)
 * with its pixels, or a text-like file with its text — PDF (PDFBox) and DOCX (POI) as extracted,
 * anything else when it decodes as UTF-8 (or UTF-16 with a byte order mark, or GB18030, which
 * Chinese Windows still writes) and holds no control characters. Everything else is refused.
 */
public final class FileContents {

  /** A file as read: its kind, its real media type, its text or an image's pixels. */
  public record Read(AttachmentKind kind, String mediaType, String text, int width, int height) {

    static Read text(String mediaType, String text) {
      return new Read(AttachmentKind.TEXT, mediaType, text, 0, 0);
    }

    static Read image(String mediaType, int width, int height) {
      return new Read(AttachmentKind.IMAGE, mediaType, null, width, height);
    }
  }

  /** A file that cannot be attached, and why. */
  public static final class UnreadableFileException extends Exception {

    /** Why: a kind of file not taken, or one of a taken kind that cannot be read. */
    public enum Why {
      UNSUPPORTED,
      UNREADABLE
    }

    private final Why why;

    UnreadableFileException(Why why, String message) {
      super(message);
      this.why = why;
    }

    public Why why() {
      return why;
    }
  }

  public static final String PDF = "application/pdf";
  public static final String DOCX =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  public static final String TEXT = "text/plain";

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final Charset GB18030 = Charset.forName("GB18030");

  /** Names that say image: a file so named must be one of the images taken. */
  private static final Set<String> IMAGE_SUFFIXES =
      Set.of(
          "png", "apng", "jpg", "jpeg", "jpe", "jfif", "webp", "gif", "bmp", "ico", "tif", "tiff",
          "heic", "heif", "avif");

  /** Control characters but tab, line breaks and form feed. */
  private static final Pattern CONTROLS = Pattern.compile("[\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f]");

  /** The most bytes a DOCX's parts may inflate to: beyond, it is a zip bomb, not a document. */
  private static final long MAX_INFLATED = 200L * 1024 * 1024;

  static {
    ZipSecureFile.setMaxEntrySize(MAX_INFLATED);
  }

  private FileContents() {}

  /**
   * What the file {@code name} is, from its bytes; refused when the name says image and the bytes
   * are no image taken (an SVG or a page of HTML named {@code .png} is a disguise, not a picture).
   */
  public static Read read(String name, byte[] bytes) throws UnreadableFileException {
    Read read = read(bytes);
    if (read.kind() != AttachmentKind.IMAGE && namedAsImage(name)) {
      throw new UnreadableFileException(
          UnreadableFileException.Why.UNSUPPORTED,
          name
              + " is named as an image but holds "
              + (read.mediaType().equals(TEXT) ? "text" : read.mediaType())
              + "; images are taken as PNG, JPEG or WebP");
    }
    return read;
  }

  static boolean namedAsImage(String name) {
    int dot = name == null ? -1 : name.lastIndexOf('.');
    return dot >= 0 && IMAGE_SUFFIXES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  static Read read(byte[] bytes) throws UnreadableFileException {
    if (bytes.length == 0) {
      throw new UnreadableFileException(
          UnreadableFileException.Why.UNREADABLE, "The file is empty");
    }
    if (startsWith(bytes, PNG)) {
      return png(bytes);
    }
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xff
        && (bytes[1] & 0xff) == 0xd8
        && (bytes[2] & 0xff) == 0xff) {
      return jpeg(bytes);
    }
    if (bytes.length >= 12 && ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) {
      return webp(bytes);
    }
    if (isPdf(bytes)) {
      return Read.text(PDF, pdf(bytes));
    }
    if (startsWith(bytes, ZIP)) {
      return Read.text(DOCX, docx(bytes));
    }
    return Read.text(TEXT, plainText(bytes));
  }

  /**
   * What an image adds to a prompt, as OpenAI counts it (its high-detail rule, close to what
   * Qwen-VL and GLM-4V take too): scaled into 2048 x 2048, then its shorter side to 768 at most,
   * 170 tokens per 512-pixel tile and 85 more.
   */
  public static int imageTokens(int width, int height) {
    double w = width;
    double h = height;
    double fit = Math.min(1, 2048 / Math.max(w, h));
    w *= fit;
    h *= fit;
    double shorter = Math.min(1, 768 / Math.min(w, h));
    w *= shorter;
    h *= shorter;
    long tiles = (long) Math.ceil(w / 512) * (long) Math.ceil(h / 512);
    return (int) (85 + 170 * tiles);
  }

  // --- images: the pixels from the header, which also shows the file is what it says ---------

  private static Read png(byte[] bytes) throws UnreadableFileException {
    if (bytes.length < 24 || !ascii(bytes, 12, "IHDR")) {
      throw broken("PNG");
    }
    return image("image/png", int32(bytes, 16), int32(bytes, 20));
  }

  private static Read jpeg(byte[] bytes) throws UnreadableFileException {
    int at = 2;
    while (at + 4 <= bytes.length) {
      if ((bytes[at] & 0xff) != 0xff) {
        throw broken("JPEG");
      }
      int marker = bytes[at + 1] & 0xff;
      if (marker == 0xff) {
        at++; // fill byte
        continue;
      }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2; // markers without a length
        continue;
      }
      int length = int16(bytes, at + 2);
      boolean frame =
          marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (frame && at + 9 <= bytes.length) {
        return image("image/jpeg", int16(bytes, at + 7), int16(bytes, at + 5));
      }
      if (marker == 0xd9 || marker == 0xda || length < 2) {
        break; // end of image or start of scan before any frame header
      }
      at += 2 + length;
    }
    throw broken("JPEG");
  }

  private static Read webp(byte[] bytes) throws UnreadableFileException {
    if (bytes.length < 30) {
      throw broken("WebP");
    }
    if (ascii(bytes, 12, "VP8 ")) {
      return image("image/webp", int16le(bytes, 26) & 0x3fff, int16le(bytes, 28) & 0x3fff);
    }
    if (ascii(bytes, 12, "VP8L") && (bytes[20] & 0xff) == 0x2f) {
      int bits =
          (bytes[21] & 0xff)
              | (bytes[22] & 0xff) << 8
              | (bytes[23] & 0xff) << 16
              | (bytes[24] & 0xff) << 24;
      return image("image/webp", (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    if (ascii(bytes, 12, "VP8X")) {
      return image("image/webp", int24le(bytes, 24) + 1, int24le(bytes, 27) + 1);
    }
    throw broken("WebP");
  }

  private static Read image(String type, int width, int height) throws UnreadableFileException {
    if (width <= 0 || height <= 0 || width > 100_000 || height > 100_000) {
      throw broken(type);
    }
    return Read.image(type, width, height);
  }

  private static UnreadableFileException broken(String type) {
    return new UnreadableFileException(
        UnreadableFileException.Why.UNREADABLE, "The file begins as " + type + " but is damaged");
  }

  // --- documents ------------------------------------------------------------------------------

  private static boolean isPdf(byte[] bytes) {
    // the header may follow a few bytes of junk (the PDF reference allows 1,024)
    int end = Math.min(bytes.length - 5, 1024);
    for (int i = 0; i <= end; i++) {
      if (ascii(bytes, i, "%PDF-")) {
        return true;
      }
    }
    return false;
  }

  private static String pdf(byte[] bytes) throws UnreadableFileException {
    try (PDDocument document = Loader.loadPDF(bytes)) {
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setSortByPosition(true);
      return withText("PDF", stripper.getText(document));
    } catch (InvalidPasswordException e) {
      throw new UnreadableFileException(
          UnreadableFileException.Why.UNREADABLE,
          "The PDF is protected by a password; attach an unprotected copy");
    } catch (IOException | RuntimeException e) {
      throw new UnreadableFileException(
          UnreadableFileException.Why.UNREADABLE, "The PDF cannot be read: " + e.getMessage());
    }
  }

  private static String docx(byte[] bytes) throws UnreadableFileException {
    try (XWPFDocument document = new XWPFDocument(new ByteArrayInputStream(bytes));
        XWPFWordExtractor extractor = new XWPFWordExtractor(document)) {
      return withText("DOCX", extractor.getText());
    } catch (IOException | RuntimeException e) {
      // a zip that is no Word document (or a damaged one); POI's own errors are runtime ones
      throw new UnreadableFileException(
          UnreadableFileException.Why.UNSUPPORTED,
          "A ZIP archive is taken only when it is a Word document (DOCX)");
    }
  }

  /**
   * The text a PDF or DOCX library extracted, without the control characters that damaged fonts map
   * glyphs to (PostgreSQL stores no NUL in text, and a model reads none of them).
   */
  static String withText(String type, String text) throws UnreadableFileException {
    String clean = text == null ? "" : CONTROLS.matcher(text).replaceAll("");
    if (clean.isBlank()) {
      throw new UnreadableFileException(
          UnreadableFileException.Why.UNREADABLE,
          "The " + type + " has no text to read (a scanned document is pictures of text)");
    }
    return clean.strip();
  }

  // --- text -----------------------------------------------------------------------------------

  private static String plainText(byte[] bytes) throws UnreadableFileException {
    String text = decoded(bytes);
    if (text == null || !printable(text)) {
      throw new UnreadableFileException(
          UnreadableFileException.Why.UNSUPPORTED,
          "Only text, PDF, DOCX and PNG/JPEG/WebP images can be attached; this file is none of"
              + " them");
    }
    if (text.isBlank()) {
      throw new UnreadableFileException(
          UnreadableFileException.Why.UNREADABLE, "The file holds only white space");
    }
    return text;
  }

  /** The text in UTF-8, UTF-16 with its byte order mark, or GB18030; null when none decodes. */
  private static String decoded(byte[] bytes) {
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      return strict(StandardCharsets.UTF_8, bytes, 3);
    }
    if (bytes.length >= 2
        && ((bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe
            || (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff)) {
      return strict(StandardCharsets.UTF_16, bytes, 0);
    }
    String utf8 = strict(StandardCharsets.UTF_8, bytes, 0);
    return utf8 != null ? utf8 : strict(GB18030, bytes, 0);
  }

  private static String strict(Charset charset, byte[] bytes, int from) {
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, bytes.length - from))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** No control characters but tab, line breaks and form feed: binary files have plenty. */
  private static boolean printable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
        return false;
      }
      if (c == '\ufffd' || (c >= 0x80 && c < 0xa0)) {
        return false; // replacement characters and C1 controls: a binary file that decoded
      }
    }
    return true;
  }

  // --- bytes ----------------------------------------------------------------------------------

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] bytes, int at, String text) {
    if (at < 0 || at + text.length() > bytes.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (bytes[at + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int int32(byte[] b, int at) {
    return (b[at] & 0xff) << 24
        | (b[at + 1] & 0xff) << 16
        | (b[at + 2] & 0xff) << 8
        | b[at + 3] & 0xff;
  }

  private static int int16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
  }

  private static int int16le(byte[] b, int at) {
    return b[at] & 0xff | (b[at + 1] & 0xff) << 8;
  }

  private static int int24le(byte[] b, int at) {
    return b[at] & 0xff | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
  }
}
