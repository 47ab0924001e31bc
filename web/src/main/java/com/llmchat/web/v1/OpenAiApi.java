package com.llmchat.web.v1;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The OpenAI-compatible API for applications, at {@code /v1} of the UI's origin: what any OpenAI
 * SDK calls with a personal API key ({@link ApiKeyAuthentication}). Errors in OpenAI's shape
 * ({@link OpenAiErrors}).
 */
@ApplicationPath("v1")
public class OpenAiApi extends Application {}
