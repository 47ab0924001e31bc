/**
 * Conversations and their messages, and the streaming relay between a user and a model: the user's
 * message is stored before the model is called, the reply when the stream ends (complete, or
 * interrupted with what arrived), and nothing holds a database connection in between.
 */
package com.llmchat.conversations;
