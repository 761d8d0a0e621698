/**
 * Test fixtures shared by the server, client and end-to-end tests: small helpers here ({@link
 * dev.grok.testing.FreePort}, {@link dev.grok.testing.BytePattern}, {@link dev.grok.testing.Sha256}, {@link
 * dev.grok.testing.Header}, the bounded waits of {@link dev.grok.testing.Await}); a real local HTTP service with fault policies in {@code origin}; Netty leak
 * detection that fails the test in {@code leak}; child JVMs with captured output in {@code process}; a raw-socket
 * HTTP/1.1 client that sends exact bytes in {@code http}. Everything binds or connects to loopback only.
 */
package dev.grok.testing;
