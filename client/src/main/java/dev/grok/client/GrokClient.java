package dev.grok.client;

import java.util.concurrent.CompletableFuture;

/** A running {@code grok http}. Shell: the implementation lands next. */
public final class GrokClient implements AutoCloseable {
  private GrokClient() {}

  /** Connects in the background (retrying network failures forever) and reports through {@code listener}. */
  public static GrokClient start(ClientConfig config, ClientListener listener) {
    throw new IllegalStateException("client core not merged yet");
  }

  /** Completes with the exit code when the client stops for good (a fatal error or {@link #close()}: 0). */
  public CompletableFuture<Integer> terminated() { return new CompletableFuture<>(); }

  /** Ends the tunnels at once (the public URL answers 404 within two seconds) and disconnects. */
  @Override
  public void close() {}
}
