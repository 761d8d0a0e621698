package dev.grok.cli.options;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns errors into one clear message on stderr and an exit code: usage errors (bad flag, bad value, bad config
 * file) exit 2 and name where a bad value came from; anything else a command throws exits 1 with its message.
 */
public final class ErrorHandlers {
  private ErrorHandlers() {}

  /** Usage errors; {@code defaults} (may be null) tells whether a bad value came from env or a file. */
  public static IParameterExceptionHandler usage(String program, OptionDefaults defaults) {
    return (ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      err.println(program + ": " + ex.getMessage() + sourceSuffix(ex, defaults));
      UnmatchedArgumentException.printSuggestions(ex, err);
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
      err.flush();
      return cmd.getCommandSpec().exitCodeOnInvalidInput();
    };
  }

  /** Failures of a command's own work: the message chain, exit 1. */
  public static IExecutionExceptionHandler execution(String program) {
    return (ex, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      err.println(program + ": error: " + describe(ex));
      err.flush();
      return cmd.getCommandSpec().exitCodeOnExecutionException();
    };
  }

  /** The distinct messages of {@code t} and its causes, joined by ": ". */
  public static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    String last = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
      if (last == null || !last.contains(msg)) {
        if (!sb.isEmpty()) {
          sb.append(": ");
        }
        sb.append(msg);
      }
      last = msg;
    }
    return sb.toString();
  }

  private static String sourceSuffix(ParameterException ex, OptionDefaults defaults) {
    if (defaults != null && ex.getArgSpec() instanceof OptionSpec option) {
      String source = defaults.sourceOf(option);
      if (source != null) {
        return " (from " + source + ")";
      }
    }
    return "";
  }
}
