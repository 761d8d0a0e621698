package dev.grok.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM started from the same JDK as the test ({@code ProcessHandle.current().info().command()}) with
 * {@code --enable-native-access=ALL-UNNAMED}, its stdout and stderr captured line by line (and mirrored to the
 * test's stderr with a {@code [name]} prefix). Every wait has a timeout and fails with the output so far.
 * Closing kills the process (and its descendants) if it is still alive.
 *
 * <pre>{@code
 * try (JavaProcess p = JavaProcess.builder("server").jar(jar).args("serve", "--http-port", "0").start()) {
 *   String line = p.awaitStdoutLine(l -> l.startsWith("Forwarding"), Duration.ofSeconds(20));
 * }
 * }</pre>
 */
public final class JavaProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final List<String> command;
  private final LineCapture stdout;
  private final LineCapture stderr;

  private JavaProcess(String name, Process process, List<String> command, boolean mirror) {
    this.name = name;
    this.process = process;
    this.command = List.copyOf(command);
    this.stdout = new LineCapture(name + "-stdout", process.getInputStream(), mirror ? System.err : null);
    this.stderr = new LineCapture(name + "-stderr", process.getErrorStream(), mirror ? System.err : null);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The {@code java} executable of the running JVM. */
  public static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public List<String> command() {
    return command;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Snapshot of stdout lines so far. */
  public List<String> stdoutLines() {
    return stdout.lines();
  }

  /** Snapshot of stderr lines so far. */
  public List<String> stderrLines() {
    return stderr.lines();
  }

  /** The first stdout line (from the start) that matches; fails after {@code timeout} or at end of output. */
  public String awaitStdoutLine(Predicate<String> matcher, Duration timeout) {
    return awaitLine(stdout, "stdout", 0, matcher, timeout);
  }

  /** Like {@link #awaitStdoutLine(Predicate, Duration)}, looking only at lines from index {@code from} on. */
  public String awaitStdoutLine(int from, Predicate<String> matcher, Duration timeout) {
    return awaitLine(stdout, "stdout", from, matcher, timeout);
  }

  /** The first stderr line (from the start) that matches; fails after {@code timeout} or at end of output. */
  public String awaitStderrLine(Predicate<String> matcher, Duration timeout) {
    return awaitLine(stderr, "stderr", 0, matcher, timeout);
  }

  /** Stdout lines captured so far: pass it as {@code from} to wait for a line printed after now. */
  public int stdoutLineCount() {
    return stdout.size();
  }

  /** Waits for the exit and for both streams to be read to their end; returns the exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + "\n" + output());
      }
      stdout.join(TimeUnit.SECONDS.toMillis(5));
      stderr.join(TimeUnit.SECONDS.toMillis(5));
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name + " to exit", e);
    }
  }

  /**
   * Asks the process to stop: SIGTERM on Linux. Sent through the {@link ProcessHandle}, because {@link
   * Process#destroy()} also closes our end of stdout and stderr, which would lose what the process prints while
   * it shuts down.
   */
  public void sendSigterm() {
    process.toHandle().destroy();
  }

  /** SIGKILL to the process and its descendants (output printed before stays captured). */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.toHandle().destroyForcibly();
  }

  /** Both captured streams, for failure messages. */
  public String output() {
    return "---- " + name + " stdout ----\n" + String.join("\n", stdout.lines())
        + "\n---- " + name + " stderr ----\n" + String.join("\n", stderr.lines());
  }

  private String awaitLine(LineCapture capture, String stream, int from, Predicate<String> matcher,
      Duration timeout) {
    try {
      String line = capture.await(from, matcher, System.nanoTime() + timeout.toNanos());
      if (line != null) {
        return line;
      }
      String why = capture.hasEnded()
          ? stream + " ended" + (process.isAlive() ? "" : " (exit code " + exitCodeOrUnknown() + ")")
          : "timed out after " + timeout;
      throw new AssertionError("no matching " + stream + " line from " + name + ": " + why + "\n" + output());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
  }

  private String exitCodeOrUnknown() {
    try {
      return process.waitFor(1, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
        stdout.join(TimeUnit.SECONDS.toMillis(2));
        stderr.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What to start; {@link #jar(Path)}, {@link #mainClass(String, String)} or {@link #executable} is required. */
  public static final class Builder {
    private final String name;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> removedEnv = new ArrayList<>();
    private List<String> launch;
    // Set by executable(...): run it instead of java; null for a jar or main class on this JDK.
    private Path executable;
    private Path workingDirectory;
    private boolean mirror = true;

    private Builder(String name) {
      this.name = name;
    }

    public Builder jar(Path jar) {
      this.launch = List.of("-jar", jar.toString());
      return this;
    }

    public Builder mainClass(String mainClass, String classpath) {
      this.launch = List.of("-cp", classpath, mainClass);
      return this;
    }

    /**
     * Runs {@code launcher} (e.g. a release's {@code bin/grok}) instead of this JDK's {@code java}: the launcher
     * picks its own runtime and JVM flags, so {@link #jvmArgs} must stay empty.
     */
    public Builder executable(Path launcher) {
      this.executable = launcher;
      this.launch = List.of();
      return this;
    }

    public Builder jvmArgs(String... more) {
      jvmArgs.addAll(List.of(more));
      return this;
    }

    public Builder args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    public Builder args(List<String> more) {
      args.addAll(more);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Removes a variable inherited from the test's environment (e.g. {@code GROK_TOKEN}). */
    public Builder removeEnv(String key) {
      removedEnv.add(key);
      return this;
    }

    public Builder workingDirectory(Path dir) {
      this.workingDirectory = dir;
      return this;
    }

    /** Whether captured lines are also printed to the test's stderr (default true). */
    public Builder mirrorOutput(boolean mirror) {
      this.mirror = mirror;
      return this;
    }

    public JavaProcess start() {
      if (launch == null) {
        throw new IllegalStateException("nothing to run (expected: jar(...), mainClass(...) or executable(...))");
      }
      List<String> command = new ArrayList<>();
      if (executable != null) {
        if (!jvmArgs.isEmpty()) {
          throw new IllegalStateException("jvmArgs " + jvmArgs + " with executable(" + executable
              + ") (expected: none; the launcher reads GROK_JAVA_OPTS)");
        }
        command.add(executable.toString());
      } else {
        command.add(javaExecutable());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmArgs);
      }
      command.addAll(launch);
      command.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(command);
      removedEnv.forEach(pb.environment()::remove);
      pb.environment().putAll(env);
      if (workingDirectory != null) {
        pb.directory(workingDirectory.toFile());
      }
      try {
        Process process = pb.start();
        process.getOutputStream().close();
        return new JavaProcess(name, process, command, mirror);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command, e);
      }
    }
  }
}
