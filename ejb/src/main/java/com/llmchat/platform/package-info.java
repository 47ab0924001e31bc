/**
 * What every business component relies on: the schema migrations run at deployment, the executor
 * that carries long-running streams, the servers of a cluster telling each other what changed, and
 * the status an administrator reads.
 */
package com.llmchat.platform;
