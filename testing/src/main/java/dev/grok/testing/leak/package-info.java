/**
 * {@link dev.grok.testing.leak.LeakDetection}, a JUnit extension that runs Netty's leak detector at paranoid
 * level and fails the test during which Netty reported a leak. Reports are caught by a Logback appender on
 * Netty's {@code ResourceLeakDetector} logger (every detector, not only buffers), or by Netty's buffer leak
 * listener when Logback is not the logging backend.
 */
package dev.grok.testing.leak;
