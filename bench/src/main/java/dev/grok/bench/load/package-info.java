/**
 * The long-running measurements of issue 13, run by {@code bench/soak} and {@code bench/websockets}: a load driver
 * that sends a fixed-rate mix of HTTP requests and WebSocket echoes through a grok edge and records latency from
 * each request's intended send time (no coordinated omission), a holder of many idle WebSockets, the WebSocket echo
 * service they talk to, and the reading of the grok processes' RSS and CPU from {@code /proc}. Not product code:
 * nothing in grok depends on it.
 */
package dev.grok.bench.load;
