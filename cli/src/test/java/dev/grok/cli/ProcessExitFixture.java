package dev.grok.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child process for {@link ProcessExitTest}: registers a close action that prints {@code closed}, prints
 * {@code ready}, then either waits for a signal ({@code wait}) or exits by itself with status 3 ({@code exit}).
 */
public final class ProcessExitFixture {
  private ProcessExitFixture() {}

  public static void main(String[] args) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    ProcessExit.onShutdown("fixture", () -> {
      System.out.println("closed");
      closed.countDown();
    });
    System.out.println("ready");
    System.out.flush();
    if (args[0].equals("exit")) {
      ProcessExit.exit(3);
    }
    // Bounded so a broken test cannot leave the child behind for long.
    closed.await(60, TimeUnit.SECONDS);
    ProcessExit.exit(1);
  }
}
