package dev.grok.common.relay;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link RelayTunnel} that records every call as a line and answers isReady as told. */
final class RecordingRelayTunnel implements RelayTunnel {
  final List<String> events = new ArrayList<>();
  boolean ready = true;

  @Override
  public void send(ByteBuf bytes, boolean end) {
    events.add("send " + bytes.toString(StandardCharsets.UTF_8) + (end ? " END" : ""));
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void request(int frames) {
    events.add("request " + frames);
  }

  @Override
  public void abort(String reason) {
    events.add("abort");
  }

  @Override
  public void done() {
    events.add("done");
  }

  /** The events other than frame requests, which repeat after every write. */
  List<String> withoutRequests() {
    return events.stream().filter(e -> !e.startsWith("request")).toList();
  }
}
