/**
 * The model servers LLM Chat talks to: their OpenAI-compatible endpoints, the models users may
 * pick, and the tolerant reading of their token streams.
 */
package com.llmchat.providers;
