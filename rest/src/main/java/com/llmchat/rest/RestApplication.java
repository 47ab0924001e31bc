package com.llmchat.rest;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

@OpenAPIDefinition(
    info =
        @Info(
            title = "LLM Chat REST API",
            version = "1",
            description =
                "Accounts, conversations with streamed replies, providers and models, API keys,"
                    + " usage and administration. Log in with POST /api/v1/auth/login and send the"
                    + " access token as Authorization: Bearer. The OpenAI-compatible API for"
                    + " applications is documented separately (/openapi/v1)."),
    security = @SecurityRequirement(name = "accessToken"))
@SecurityScheme(
    securitySchemeName = "accessToken",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT",
    description = "The accessToken of POST /api/v1/auth/login (10 minutes; renew with refresh)")
@ApplicationPath("/")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({Roles.USER, Roles.ADMIN})
public class RestApplication extends Application {}
