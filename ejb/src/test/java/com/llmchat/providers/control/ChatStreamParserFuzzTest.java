package com.llmchat.providers.control;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever a model server sends, line by line: the parser and the assembly of the reply never
 * throw, and never stop reporting (a malformed payload is an error event, not an exception).
 */
class ChatStreamParserFuzzTest {

  @FuzzTest(maxDuration = "12s")
  void anyStreamIsParsedAndAssembledWithoutAnException(FuzzedDataProvider data) {
    var assembly = new CompletionAssembly();
    var parser = new ChatStreamParser(assembly);
    while (data.remainingBytes() > 0) {
      // the shapes real streams have, and anything at all
      switch (data.consumeInt(0, 5)) {
        case 0 -> parser.line("data: " + data.consumeString(400));
        case 1 -> parser.line("event: " + data.consumeString(20));
        case 2 -> parser.line("");
        case 3 -> parser.line(": " + data.consumeString(20));
        case 4 -> parser.line("data: [DONE]");
        default -> parser.line(data.consumeString(400));
      }
    }
    parser.end();
    // what the relay and the ledger read from it
    assembly.toJson();
    assembly.usage();
  }
}
