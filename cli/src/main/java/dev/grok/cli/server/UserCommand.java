package dev.grok.cli.server;

import dev.grok.cli.VersionCommand;
import dev.grok.server.auth.Account;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code grok-server user create|list|disable|enable|passwd}: accounts that sign in to the dashboard, in the server's
 * database (found as {@code token} finds it). Program output on stdout (one line per user, or one line saying what
 * was done), logs and errors on stderr.
 */
@Command(name = "user", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Create, list, disable and enable dashboard users, and set their passwords.")
public final class UserCommand implements Runnable {
  @Spec
  private CommandSpec spec;

  /** {@code user} with its subcommands. */
  public static CommandLine commandLine() {
    return new CommandLine(new UserCommand())
        .addSubcommand(new Create())
        .addSubcommand(new ListUsers())
        .addSubcommand(new Disable())
        .addSubcommand(new Enable())
        .addSubcommand(new Passwd());
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing subcommand: create, list, disable, enable or passwd");
  }

  /** {@code ID EMAIL ROLE ORG STATUS 2FA}: ORG is {@code -} for none; STATUS active, disabled or no-password. */
  static String[] row(Account a) {
    String status = a.disabled() ? "disabled" : a.hasPassword() ? "active" : "no-password";
    return new String[] {a.id(), a.email(), a.role().wireName(), a.orgSlug() == null ? "-" : a.orgSlug(), status,
        a.totpEnabled() ? "2fa" : "-"};
  }

  /** {@code user create EMAIL [--name N] [--role R] [--org SLUG] [--password-stdin]}: prints the user's row. */
  @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Create a user. Without --password-stdin the user cannot sign in until 'user passwd'.")
  static final class Create extends AccountCommand {
    @Parameters(index = "0", paramLabel = "EMAIL", description = "What the user signs in with.")
    String email;

    @Option(names = "--name", paramLabel = "N", description = "Display name.")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", defaultValue = "org_user",
        description = "super_admin, org_admin or org_user (default: org_user).")
    String role;

    @Option(names = "--org", paramLabel = "SLUG", description = "The user's organization (see 'org create').")
    String org;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Override
    int run(Accounts accounts, PrintWriter out) throws Exception {
      Role r;
      try {
        r = Role.parse(role);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
      }
      String password = passwordStdin ? readPasswordFromStdin() : null;
      Account a = accounts.users().createUser(email, name, r, org, password);
      accounts.audit().record(ACTOR, "user.create", a.email(), a.orgId(), null, "role " + r.wireName());
      printColumns(out, List.<String[]>of(row(a)));
      return 0;
    }
  }

  /** {@code user list}: one row per user, by email. */
  @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "List users: ID EMAIL ROLE ORG STATUS 2FA, one a line.")
  static final class ListUsers extends AccountCommand {
    @Override
    int run(Accounts accounts, PrintWriter out) {
      List<String[]> rows = new ArrayList<>();
      for (Account a : accounts.users().users(null)) {
        rows.add(row(a));
      }
      printColumns(out, rows);
      return 0;
    }
  }

  /** {@code user disable EMAIL}: prints {@code disabled EMAIL}; the user's sessions end. */
  @Command(name = "disable", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Disable a user: no more sign-ins; their dashboard sessions end now, their tokens stop working"
          + " and their tunnels end within 10 s.")
  static final class Disable extends AccountCommand {
    @Parameters(index = "0", paramLabel = "EMAIL")
    String email;

    @Override
    int run(Accounts accounts, PrintWriter out) {
      Account a = accounts.users().disableUser(email);
      accounts.audit().record(ACTOR, "user.disable", a.email(), a.orgId(), null, null);
      out.println("disabled " + a.email());
      return 0;
    }
  }

  /** {@code user enable EMAIL}: prints {@code enabled EMAIL}; their tokens that were not revoked work again. */
  @Command(name = "enable", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Enable a disabled user again: sign-ins and their (unrevoked) tokens work again.")
  static final class Enable extends AccountCommand {
    @Parameters(index = "0", paramLabel = "EMAIL")
    String email;

    @Override
    int run(Accounts accounts, PrintWriter out) {
      Account a = accounts.users().enableUser(email);
      accounts.audit().record(ACTOR, "user.enable", a.email(), a.orgId(), null, null);
      out.println("enabled " + a.email());
      return 0;
    }
  }

  /** {@code user passwd EMAIL --password-stdin}: prints {@code password set for EMAIL}. */
  @Command(name = "passwd", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Set a user's password from the first line of standard input; their sessions end.")
  static final class Passwd extends AccountCommand {
    @Parameters(index = "0", paramLabel = "EMAIL")
    String email;

    @Option(names = "--password-stdin", required = true,
        description = "Read the password from the first line of standard input (required).")
    boolean passwordStdin;

    @Override
    int run(Accounts accounts, PrintWriter out) throws Exception {
      Account a = accounts.users().setPassword(email, readPasswordFromStdin());
      accounts.audit().record(ACTOR, "user.passwd", a.email(), a.orgId(), null, null);
      out.println("password set for " + a.email());
      return 0;
    }
  }
}
