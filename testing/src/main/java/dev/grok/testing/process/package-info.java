/**
 * Child JVMs for end-to-end tests: {@link dev.grok.testing.process.JavaProcess} starts {@code java} from the JDK
 * the tests run on, captures stdout and stderr line by line and awaits lines and exit with timeouts; {@link
 * dev.grok.testing.process.GrokProcess} adds what the grok launchers print (the {@code Forwarding} line, the
 * admin {@code /health}). A failed wait throws an {@link java.lang.AssertionError} carrying the output so far.
 */
package dev.grok.testing.process;
