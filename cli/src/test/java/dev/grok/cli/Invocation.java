package dev.grok.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of a command tree with its stdout, stderr and exit code captured. */
public record Invocation(int exitCode, String out, String err) {

  /** Runs {@code args} on {@code commandLine}; for the server the default-subcommand rule applies. */
  public static Invocation run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.getCommand() instanceof ServerMain.Root
        ? ServerMain.execute(commandLine, args)
        : commandLine.execute(args);
    return new Invocation(code, out.toString(), err.toString());
  }
}
