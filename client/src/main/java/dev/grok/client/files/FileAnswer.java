package dev.grok.client.files;

import dev.grok.protocol.v1.Header;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code grok serve} answers one request with: status, headers and a body still to be streamed (null when
 * there is none: HEAD, 304, redirects).
 */
final class FileAnswer {
  final int status;
  final String reason;
  final List<Header> headers = new ArrayList<>(8);
  /** Null when the response has no body. Owned by the exchange once handed over. */
  BodySource body;

  FileAnswer(int status, String reason) {
    this.status = status;
    this.reason = reason;
  }

  FileAnswer header(String name, Object value) {
    headers.add(Header.newBuilder().setName(name).setValue(String.valueOf(value)).build());
    return this;
  }
}
