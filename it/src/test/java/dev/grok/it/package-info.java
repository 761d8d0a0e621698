/**
 * End-to-end tests of grok: a real {@link dev.grok.server.GrokServer} and {@link dev.grok.client.GrokClient} (in
 * this JVM, in a child JVM with a small heap, or as the shipped launcher jars) between a raw-socket visitor and a
 * {@link dev.grok.testing.origin.LocalHttpOrigin}, all on loopback. Each test checks one behaviour a user relies
 * on, with Netty's leak detector at paranoid level failing any test during which a buffer leaked.
 */
package dev.grok.it;
