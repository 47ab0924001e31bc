package com.llmchat.web.v1;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The OpenAI-compatible API for applications, at {@code /v1} of the UI's origin: what any OpenAI
 * SDK calls with a personal API key ({@link ApiKeyAuthentication}). Errors in OpenAI's shape
 * ({@link OpenAiErrors}).
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "LLM Chat OpenAI-compatible API",
            version = "1",
            description =
                "For applications and OpenAI SDKs: set the base URL to `http://<host>:8080/v1` and"
                    + " use a personal API key (profile, API keys). Requests are sent on to the"
                    + " model servers as they came, with LLM Chat's routing, fallback, retries and"
                    + " accounting; errors come in OpenAI's shape."),
    security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(
    securitySchemeName = "apiKey",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "A personal API key, sk-llmchat-… (also accepted as the x-api-key header)")
@ApplicationPath("v1")
public class OpenAiApi extends Application {}
