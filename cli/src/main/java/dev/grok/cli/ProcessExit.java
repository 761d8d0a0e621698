package dev.grok.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exit discipline of the long-running commands. A signal (Ctrl-C, SIGTERM) runs the registered close action
 * (graceful: the server drains, the client ends its tunnels) and then ends the process with status 0, as a
 * requested stop is a success; the JVM would otherwise report 130 or 143. An exit the program itself asks for
 * through {@link #exit} keeps its own status.
 */
public final class ProcessExit {
  /** Set just before the program itself calls System.exit; read by the shutdown hook when it starts. */
  private static final AtomicBoolean PROGRAM_EXITING = new AtomicBoolean();

  private ProcessExit() {}

  /**
   * Registers {@code close} to run on shutdown. When the shutdown came from a signal rather than from
   * {@link #exit}, the hook halts with status 0 once {@code close} has returned.
   */
  public static void onShutdown(String name, Runnable close) {
    Thread hook = new Thread(() -> {
      // Decided before closing: the main thread may call exit() as soon as close() lets it return.
      boolean fromSignal = !PROGRAM_EXITING.get();
      try {
        close.run();
      } finally {
        if (fromSignal) {
          System.out.flush();
          System.err.flush();
          Runtime.getRuntime().halt(0);
        }
      }
    }, name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Ends the process with {@code status}; shutdown hooks still run but keep that status. */
  public static void exit(int status) {
    PROGRAM_EXITING.set(true);
    System.out.flush();
    System.exit(status);
  }
}
