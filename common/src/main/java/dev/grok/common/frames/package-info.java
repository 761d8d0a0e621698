/**
 * Zero-copy receive of the Exchange streams' Data frames: {@link dev.grok.common.frames.DataFrameMarshaller} parses
 * a Data frame over the direct buffers gRPC's transport read it into (detached from the deframer, no copy), and
 * {@link dev.grok.common.frames.InboundData} hands their bytes to the receiving stream as a {@code ByteBuf} that
 * gives the buffers back to gRPC when it is released (after the socket write, or wherever the frame is dropped).
 * {@link dev.grok.common.frames.ExchangeMethods} puts the marshaller on the {@code Exchange} method of both sides.
 */
package dev.grok.common.frames;
