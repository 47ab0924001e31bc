/** Presets ("agents"): named assistants users start conversations from. */
package com.llmchat.presets;
