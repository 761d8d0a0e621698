package dev.grok.cli.server;

import dev.grok.server.auth.AccountException;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.TokenStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.ParameterException;

/**
 * What the {@code user} and {@code org} subcommands share with {@code token}: the database options and opening it
 * (see {@link TokenCommand.StoreCommand}), plus the account stores on it. Bad input is a usage error (exit 2); an
 * unknown or taken email or slug is a failure (exit 1) with its message on stderr. Every change is written to the
 * audit log with actor {@code cli}.
 */
abstract class AccountCommand extends TokenCommand.StoreCommand {
  /** Actor of the audit entries this CLI writes. */
  static final String ACTOR = "cli";

  @Override
  final int run(TokenStore store, PrintWriter out) throws Exception {
    try {
      return run(Accounts.of(store), out);
    } catch (AccountException e) {
      if (e.kind() == AccountException.Kind.INVALID) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("grok-server: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  abstract int run(Accounts accounts, PrintWriter out) throws Exception;

  /**
   * The first line of standard input, without its line end: {@code echo "$PW" | grok-server user passwd ...}.
   * Never an argument, so that the password stays out of the shell history and {@code ps}.
   */
  String readPasswordFromStdin() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null || line.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "--password-stdin: standard input is empty (expected: the password on its first line)");
    }
    return line;
  }

  /** Rows as left-aligned columns, two spaces apart; the last column is not padded. */
  static void printColumns(PrintWriter out, List<String[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    int[] widths = new int[rows.get(0).length - 1];
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
      }
      out.println(line.append(row[row.length - 1]));
    }
  }
}
