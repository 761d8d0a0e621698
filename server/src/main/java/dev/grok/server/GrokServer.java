package dev.grok.server;

import java.util.Optional;

/** The running server: public edge, tunnel port, admin port. Shell: the implementation lands next. */
public final class GrokServer implements AutoCloseable {
  private GrokServer() {}

  /**
   * Opens the database (migrations, zero-config admin token), binds every listener and returns once all are up.
   */
  public static GrokServer start(ServerConfig config) throws Exception {
    throw new IllegalStateException("server core not merged yet");
  }

  /** The raw admin token when this start created it (zero-config first start), to print once. */
  public Optional<String> createdAdminToken() { return Optional.empty(); }

  public int httpPort() { return 0; }

  public int tunnelPort() { return 0; }

  public int adminPort() { return 0; }

  /** Graceful stop: stop accepting, let exchanges in flight finish for shutdownGrace, then close. */
  @Override
  public void close() {}

  /** Blocks until {@link #close()} has completed. */
  public void awaitClosed() throws InterruptedException {}
}
