/**
 * Tunnel compression: the {@code --compression} modes, the zstd codec registered with gRPC next to its built-in
 * gzip, the rule that says which bodies are worth compressing, the {@code auto} rule (compress only while the
 * tunnel is slower than the compressor) and the per-stream switch that turns gRPC's per-message compression on for
 * body Data frames and off for everything else. docs/protocol.md, "Compression".
 */
package dev.grok.common.compress;
