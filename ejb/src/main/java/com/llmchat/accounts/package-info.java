/**
 * Who may use LLM Chat: the keys that sign and verify access tokens now; users, roles and sessions
 * as the accounts component grows.
 */
package com.llmchat.accounts;
