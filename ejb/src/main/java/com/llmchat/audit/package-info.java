/**
 * Who did what, when, from where: security-relevant events (logins, lockouts, administration)
 * written in their own transaction so that a refused action is recorded too.
 */
package com.llmchat.audit;
