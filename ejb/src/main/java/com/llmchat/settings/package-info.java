/**
 * Installation-wide settings kept in PostgreSQL: the identity of this installation and the values
 * administrators change at run time.
 */
package com.llmchat.settings;
