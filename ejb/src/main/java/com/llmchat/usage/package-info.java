/**
 * Usage: a ledger row per completion with the tokens the model server reported (or an estimate when
 * it reported none), written in the transaction that stores the reply, and daily aggregates per
 * user and model.
 */
package com.llmchat.usage;
