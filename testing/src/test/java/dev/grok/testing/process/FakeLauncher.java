package dev.grok.testing.process;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A main class the process tests start in a child JVM. Each argument is a step: {@code out:TEXT} and {@code
 * err:TEXT} print a line, {@code env:NAME} prints the variable's value, {@code cwd} prints the working directory,
 * {@code wait} prints {@code waiting} once a shutdown hook that prints {@code stopping} is in place, then blocks
 * until the JVM is told to stop, {@code
 * exit:N} exits with N.
 */
public final class FakeLauncher {
  private FakeLauncher() {}

  public static void main(String[] args) throws InterruptedException {
    for (String step : args) {
      if (step.startsWith("out:")) {
        System.out.println(step.substring(4));
      } else if (step.startsWith("err:")) {
        System.err.println(step.substring(4));
      } else if (step.startsWith("env:")) {
        System.out.println(System.getenv(step.substring(4)));
      } else if (step.equals("cwd")) {
        System.out.println(Path.of("").toAbsolutePath());
      } else if (step.equals("wait")) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping")));
        System.out.println("waiting");
        System.out.flush();
        new CountDownLatch(1).await();
      } else if (step.startsWith("exit:")) {
        System.out.flush();
        System.exit(Integer.parseInt(step.substring(5)));
      }
    }
  }
}
