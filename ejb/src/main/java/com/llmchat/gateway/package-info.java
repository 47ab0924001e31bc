/**
 * Gateway: the calls of applications through the OpenAI-compatible {@code /v1} API, made with a
 * personal API key — sent on to the model servers with our routing, fallback, retries and breakers,
 * and accounted in the usage ledger to the key and its owner.
 */
package com.llmchat.gateway;
