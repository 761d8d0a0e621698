package dev.grok.client.inspect;

/**
 * The first bytes of a body, up to the capture limit.
 *
 * @param bytes the captured bytes are {@code bytes[0..length)}; never changed after the capture ended
 * @param length how many bytes were captured
 * @param size how many bytes the body had in all (more than {@code length} when truncated)
 */
public record CapturedBody(byte[] bytes, int length, long size) {
  static final CapturedBody EMPTY = new CapturedBody(new byte[0], 0, 0);

  public boolean truncated() {
    return size > length;
  }

  /** A copy of the captured bytes. */
  public byte[] copy() {
    return java.util.Arrays.copyOf(bytes, length);
  }
}
