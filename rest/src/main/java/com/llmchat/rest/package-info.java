/**
 * The HTTP API under {@code /api}: thin resources that validate, call one boundary and map the
 * result; errors leave as RFC 9457 problem details.
 */
package com.llmchat.rest;
