package dev.grok.common.frames;

import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.ServerFrame;
import dev.grok.protocol.v1.TunnelGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.util.function.BooleanSupplier;

/**
 * The {@code Exchange} method with {@link DataFrameMarshaller} on its receiving side: the server parses
 * {@code ClientFrame}s with it, the client {@code ServerFrame}s. The method's name and wire format are the
 * generated stub's; only how received Data bytes reach memory differs. A receiver must take every Data frame's
 * bytes with {@link InboundData#take} (the frame's own bytes are empty on the zero-copy path).
 */
public final class ExchangeMethods {
  /**
   * System property that turns the zero-copy receive off ({@code -Dgrok.zeroCopyFrames=false}): every frame is
   * then parsed (copied) by gRPC's protobuf marshaller, as before this class existed.
   */
  public static final String ZERO_COPY_PROPERTY = "grok.zeroCopyFrames";

  private static final BooleanSupplier ENABLED =
      () -> !"false".equals(System.getProperty(ZERO_COPY_PROPERTY));

  /** The server's view: ClientFrames received without a copy. */
  public static final MethodDescriptor<ClientFrame, ServerFrame> SERVER = TunnelGrpc.getExchangeMethod().toBuilder()
      .setRequestMarshaller(new DataFrameMarshaller<>(ClientFrame.getDefaultInstance(),
          ClientFrame.newBuilder().setData(Data.newBuilder().setEndOfBody(true)).build(),
          ClientFrame.newBuilder().setData(Data.getDefaultInstance()).build(), ENABLED))
      .build();

  /** The client's view: ServerFrames received without a copy. */
  public static final MethodDescriptor<ClientFrame, ServerFrame> CLIENT = TunnelGrpc.getExchangeMethod().toBuilder()
      .setResponseMarshaller(new DataFrameMarshaller<>(ServerFrame.getDefaultInstance(),
          ServerFrame.newBuilder().setData(Data.newBuilder().setEndOfBody(true)).build(),
          ServerFrame.newBuilder().setData(Data.getDefaultInstance()).build(), ENABLED))
      .build();

  private ExchangeMethods() {}

  /** {@code service} (the bound Tunnel service) with its Exchange method on {@link #SERVER}. */
  @SuppressWarnings("unchecked")
  public static ServerServiceDefinition serverDefinition(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      if (method.getMethodDescriptor().getFullMethodName().equals(SERVER.getFullMethodName())) {
        out.addMethod(ServerMethodDefinition.create(SERVER,
            ((ServerMethodDefinition<ClientFrame, ServerFrame>) method).getServerCallHandler()));
      } else {
        out.addMethod(method);
      }
    }
    return out.build();
  }
}
