package dev.grok.server.metrics;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts gRPC message bytes on the tunnel port as the transport reports them: the wire size (after compression)
 * and the uncompressed size of every message each way. grpc-java calls these for every message whatever the
 * tracing setup, so the cost is one add per message; one stateless tracer serves every stream.
 */
final class WireBytesTracer extends ServerStreamTracer.Factory {
  /** Server to client: request heads and bodies, towards the local service. */
  final LongAdder wireIn = new LongAdder();
  final LongAdder uncompressedIn = new LongAdder();
  /** Client to server: response heads and bodies, towards visitors. */
  final LongAdder wireOut = new LongAdder();
  final LongAdder uncompressedOut = new LongAdder();

  private final ServerStreamTracer tracer = new ServerStreamTracer() {
    @Override
    public void outboundWireSize(long bytes) {
      wireIn.add(bytes);
    }

    @Override
    public void outboundUncompressedSize(long bytes) {
      uncompressedIn.add(bytes);
    }

    @Override
    public void inboundWireSize(long bytes) {
      wireOut.add(bytes);
    }

    @Override
    public void inboundUncompressedSize(long bytes) {
      uncompressedOut.add(bytes);
    }
  };

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    return tracer;
  }
}
