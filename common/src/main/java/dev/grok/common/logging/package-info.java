/** Logging setup: text or JSON lines on stderr, chosen by {@code --log-format}. */
package dev.grok.common.logging;
