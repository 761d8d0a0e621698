package dev.grok.cli.server;

import dev.grok.cli.VersionCommand;
import dev.grok.cli.options.Converters;
import dev.grok.cli.options.OptionDefaults;
import dev.grok.common.logging.Logging;
import dev.grok.server.auth.Account;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.TokenInfo;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.ratelimit.RateLimit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grok-server token create|list|revoke}: tokens in the server's database, found like the server finds it
 * ({@code --data-dir} or {@code --db-url}, from flags, GROK_* variables or the server's YAML file), so it works
 * next to a running server. Program output on stdout, logs on stderr.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Create, list and revoke tokens in the server's database.")
public final class TokenCommand implements Runnable {
  /** Token and user names: one word, so that {@code token list} stays whitespace-separated. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  @Spec
  private CommandSpec spec;

  /** {@code token} with its three subcommands. */
  public static CommandLine commandLine() {
    return new CommandLine(new TokenCommand())
        .addSubcommand(new Create())
        .addSubcommand(new ListTokens())
        .addSubcommand(new Revoke());
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: create, list or revoke");
  }

  /** What every token subcommand shares: where the database is, and opening it. */
  abstract static class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = OptionDefaults.CONFIG_OPTION, paramLabel = "FILE",
        description = "The server's YAML file of option values (default: $GROK_SERVER_CONFIG).")
    Path config;

    @Mixin
    DatabaseOptions database;

    @Override
    public final Integer call() throws Exception {
      if (spec.defaultValueProvider() instanceof OptionDefaults defaults) {
        defaults.check(spec);
      }
      Logging.configure("text");
      try (TokenStore store = TokenStore.open(database.dataDir(), database.dbUrl(), database.dbUser(),
          database.dbPassword())) {
        int status = run(store, spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return status;
      }
    }

    abstract int run(TokenStore store, PrintWriter out) throws Exception;

    /** The org id of the user named {@code user}, null for none: the org of the audit entry. */
    static String orgOf(Accounts accounts, String user) {
      return accounts.users().userByName(user).map(Account::orgId).orElse(null);
    }

    void checkName(String what, String value) {
      if (!NAME.matcher(value).matches()) {
        throw new ParameterException(spec.commandLine(), what + ": '" + value
            + "' (expected: 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit)");
      }
    }
  }

  /** {@code token create NAME [--user USER]}: stdout is exactly the new token. */
  @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Create a token and print it; it is not shown again. USER is created when missing.")
  static final class Create extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "A name for the token, e.g. laptop.")
    String name;

    @Option(names = "--user", paramLabel = "USER", defaultValue = "admin",
        description = "Owner of the token (default: admin).")
    String user;

    // The second, longer name keeps these out of GROK_* and the server's YAML file: the server's own
    // --rate-limit (its default for every tunnel) must not become each new token's override.
    @Option(names = {"--rate-limit", "--token-rate-limit"}, paramLabel = "RPS",
        converter = Converters.NonNegativeInt.class,
        description = "Requests per second per tunnel of this token, instead of the server's --rate-limit; "
            + "0: no limit for this token (default: the server's).")
    Integer rateLimit;

    @Option(names = {"--rate-limit-burst", "--token-rate-limit-burst"}, paramLabel = "N",
        converter = Converters.NonNegativeInt.class,
        description = "Burst of --rate-limit (default: one second's worth, the RPS value).")
    Integer rateLimitBurst;

    @Override
    int run(TokenStore store, PrintWriter out) {
      checkName("NAME", name);
      checkName("--user", user);
      if (rateLimit == null && rateLimitBurst != null) {
        throw new ParameterException(spec.commandLine(), "--rate-limit-burst needs --rate-limit RPS");
      }
      var created = store.create(name, user);
      if (rateLimit != null) {
        store.rateLimits().set(created.id(), RateLimit.of(rateLimit, rateLimitBurst == null ? 0 : rateLimitBurst));
      }
      Accounts accounts = Accounts.of(store);
      accounts.audit().record(AccountCommand.ACTOR, "token.create", created.id(), orgOf(accounts, created.user()),
          null, "name " + created.name() + ", user " + created.user());
      out.println(created.token());
      return 0;
    }
  }

  /** {@code token list}: {@code ID NAME USER active|revoked}, one token a line, never the token itself. */
  @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "List tokens: ID NAME USER STATUS (active or revoked), one a line.")
  static final class ListTokens extends StoreCommand {
    @Override
    int run(TokenStore store, PrintWriter out) {
      List<String[]> rows = new ArrayList<>();
      for (var token : store.list()) {
        rows.add(new String[] {token.id(), token.name(), token.user(), token.revoked() ? "revoked" : "active"});
      }
      int[] widths = new int[3];
      for (String[] row : rows) {
        for (int i = 0; i < widths.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        out.println(String.format("%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s",
            (Object[]) row));
      }
      return 0;
    }
  }

  /** {@code token revoke ID|NAME}: prints {@code revoked ID}; exit 1 when there is no such token. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Revoke a token by ID or NAME; its live sessions end within 10 s.")
  static final class Revoke extends StoreCommand {
    @Parameters(index = "0", paramLabel = "ID|NAME", description = "The token's ID (from 'token list') or name.")
    String idOrName;

    @Override
    int run(TokenStore store, PrintWriter out) {
      // Looked up first so the line names the ID even when the token was given by name.
      List<TokenInfo> matched = new ArrayList<>();
      for (TokenInfo token : store.list()) {
        if (token.id().equals(idOrName)) {
          matched.clear();
          matched.add(token);
          break;
        }
        if (token.name().equals(idOrName)) {
          matched.add(token);
        }
      }
      boolean revoked = store.revoke(idOrName);
      if (!revoked && matched.isEmpty()) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("grok-server: no token with ID or name '" + idOrName + "' (see 'grok-server token list')");
        err.flush();
        return 1;
      }
      Accounts accounts = Accounts.of(store);
      for (TokenInfo t : matched) {
        accounts.audit().record(AccountCommand.ACTOR, "token.revoke", t.id(), orgOf(accounts, t.user()), null,
            "name " + t.name());
      }
      List<String> ids = matched.stream().map(TokenInfo::id).toList();
      out.println("revoked " + (ids.isEmpty() ? idOrName : String.join(" ", ids)));
      return 0;
    }
  }
}
