/**
 * The HTTP edge both web modules share: who the client is behind the operator's proxies ({@link
 * com.llmchat.edge.ClientAddresses}), HSTS ({@link com.llmchat.edge.StrictTransport}), and the CIDR
 * ranges both those and the upstream address policy read ({@link com.llmchat.edge.Network}). An EAR
 * library: the EJB module sees it, it sees nothing of theirs.
 */
package com.llmchat.edge;
