package com.llmchat.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator answers a message without a {@code [sim …]} directive or {@code X-Sim-*}
 * header — what a new user of {@code bin/llmchat run} sends first: a short reasoning part, then a
 * heading, a list, a code block and a table, in the language of the question (Chinese when it has
 * Chinese characters, else English), streamed a word or two characters at a time.
 */
final class Demo {

  private static final String ENGLISH_REASONING =
      "The user wrote to the demo model. I show what the chat can render: a heading, a list,"
          + " code and a table.";

  private static final String ENGLISH =
      """
      ## Hello from the demo model

      This answer comes from LLM Chat's **model simulator**, not from a real model. An \
      administrator connects real model servers (vLLM, Ollama, llama.cpp, Qwen, DeepSeek, any \
      OpenAI-compatible API) on *Administration → Providers and models*.

      What the chat shows:

      - replies **streamed** word by word, with *Stop* and *Regenerate*
      - the model's reasoning folded away above the answer
      - code with highlighting and a copy button:

      ```python
      def greet(name: str) -> str:
          return f"Hello, {name}!"
      ```

      | Try | Where |
      |---|---|
      | Search in all conversations | the box above the list |
      | Start from a preset | a new chat |
      | Export a conversation | the download icon |
      """;

  private static final String CHINESE_REASONING = "用户在和演示模型对话。我来展示聊天界面能显示的内容：标题、列表、代码和表格。";

  private static final String CHINESE =
      """
      ## 你好，我是演示模型

      这条回复来自 LLM Chat 的**模型模拟器**，并不是真正的大模型。管理员可以在\
      *系统管理 → 服务商与模型*中接入真正的模型服务（vLLM、Ollama、llama.cpp、通义千问、DeepSeek 等任何 \
      OpenAI 兼容接口）。

      聊天界面可以显示：

      - 逐字**流式**输出的回复，可以*停止*和*重新生成*
      - 折叠在回答上方的模型思考过程
      - 带高亮和复制按钮的代码：

      ```python
      def greet(name: str) -> str:
          return f"你好，{name}！"
      ```

      | 试试看 | 位置 |
      |---|---|
      | 搜索所有对话 | 对话列表上方的搜索框 |
      | 从预设开始 | 新对话 |
      | 导出对话 | 下载图标 |
      """;

  private Demo() {}

  /** Whether the text has Chinese (Han) characters: the demo answers in Chinese then. */
  static boolean chinese(String text) {
    return text != null
        && text.codePoints()
            .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }

  static List<String> answer(boolean chinese) {
    return pieces(chinese ? CHINESE : ENGLISH);
  }

  static List<String> reasoning(boolean chinese) {
    return pieces(chinese ? CHINESE_REASONING : ENGLISH_REASONING);
  }

  /** A word with the space before it, or two Chinese characters, per piece (a token, roughly). */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    int hanInPiece = 0;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean han = Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN;
      if (piece.length() > 0
          && ((Character.isWhitespace(c)
                  && !Character.isWhitespace(piece.codePointBefore(piece.length())))
              || (han && hanInPiece == 2))) {
        pieces.add(piece.toString());
        piece.setLength(0);
        hanInPiece = 0;
      }
      piece.appendCodePoint(c);
      hanInPiece += han ? 1 : 0;
      i += Character.charCount(c);
    }
    if (piece.length() > 0) {
      pieces.add(piece.toString());
    }
    return pieces;
  }
}
