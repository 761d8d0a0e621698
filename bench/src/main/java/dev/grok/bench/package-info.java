/**
 * JMH micro-benchmarks of the pieces every exchange passes through: Host routing, hop-by-hop header filtering,
 * and the protobuf encoding and decoding of request heads and body frames. Run with
 * {@code java -jar bench/target/benchmarks.jar}.
 */
package dev.grok.bench;
