/**
 * Usage: a ledger row per completion with the tokens the model server reported (or an estimate when
 * it reported none), written in the transaction that stores the reply, and daily aggregates per
 * user and model. Budgets and rate limits of accounts, groups and API keys: a call reserves in all
 * that apply before the model is asked, and is settled with its ledger row.
 */
package com.llmchat.usage;
