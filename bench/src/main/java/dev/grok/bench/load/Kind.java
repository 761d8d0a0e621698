package dev.grok.bench.load;

/** The kinds of work in the soak's mix, each with what a correct answer is. */
enum Kind {
  /** {@code GET /1k.bin}: 200 with 1,024 body bytes. */
  GET_1K("get", 1024),
  /** {@code GET /1m.bin}: 200 with 1 MiB of body. */
  DOWNLOAD_1M("download", 1024 * 1024),
  /** {@code PUT /upload} of 1 MiB: 200 with the byte count the upload sink read ("1048576"). */
  UPLOAD_1M("upload", 1024 * 1024),
  /** A text message on a long-lived WebSocket, back unchanged from the echo service. */
  ECHO("echo", 0);

  /** Column prefix in the CSV and the summary. */
  final String label;
  /** The body bytes a correct answer has (the bytes sent, for an upload). */
  final long bodyBytes;

  Kind(String label, long bodyBytes) {
    this.label = label;
    this.bodyBytes = bodyBytes;
  }
}
