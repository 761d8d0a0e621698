package dev.grok.cli.server;

import dev.grok.cli.VersionCommand;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Org;
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
 * {@code grok-server org create|list|disable}: organizations in the server's database. The slug follows the
 * subdomain rules: a member's tunnel NAME is published as {@code NAME-SLUG.DOMAIN}.
 */
@Command(name = "org", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Create, list and disable organizations.")
public final class OrgCommand implements Runnable {
  @Spec
  private CommandSpec spec;

  /** {@code org} with its subcommands. */
  public static CommandLine commandLine() {
    return new CommandLine(new OrgCommand())
        .addSubcommand(new Create())
        .addSubcommand(new ListOrgs())
        .addSubcommand(new Disable());
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: create, list or disable");
  }

  /** {@code ID SLUG STATUS NAME}: NAME last, as it may hold spaces. */
  static String[] row(Org o) {
    return new String[] {o.id(), o.slug(), o.disabled() ? "disabled" : "active", o.name()};
  }

  /** {@code org create SLUG [--name N]}: prints the org's row. */
  @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Create an organization; SLUG follows the subdomain rules and is unique.")
  static final class Create extends AccountCommand {
    @Parameters(index = "0", paramLabel = "SLUG", description = "e.g. acme: members' tunnels are NAME-acme.DOMAIN.")
    String slug;

    @Option(names = "--name", paramLabel = "N", description = "Display name (default: the slug).")
    String name;

    @Override
    int run(Accounts accounts, PrintWriter out) {
      Org o = accounts.users().createOrg(slug, name);
      accounts.audit().record(ACTOR, "org.create", o.slug(), o.id(), null, null);
      printColumns(out, List.<String[]>of(row(o)));
      return 0;
    }
  }

  /** {@code org list}: one row per org, by slug. */
  @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "List organizations: ID SLUG STATUS NAME, one a line.")
  static final class ListOrgs extends AccountCommand {
    @Override
    int run(Accounts accounts, PrintWriter out) {
      List<String[]> rows = new ArrayList<>();
      for (Org o : accounts.users().orgs()) {
        rows.add(row(o));
      }
      printColumns(out, rows);
      return 0;
    }
  }

  /** {@code org disable SLUG}: prints {@code disabled SLUG}; its members cannot sign in any more. */
  @Command(name = "disable", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
      description = "Disable an organization: its members cannot sign in; their sessions end now, their tokens stop"
          + " working and their tunnels end within 10 s.")
  static final class Disable extends AccountCommand {
    @Parameters(index = "0", paramLabel = "SLUG")
    String slug;

    @Override
    int run(Accounts accounts, PrintWriter out) {
      Org o = accounts.users().disableOrg(slug);
      accounts.audit().record(ACTOR, "org.disable", o.slug(), o.id(), null, null);
      out.println("disabled " + o.slug());
      return 0;
    }
  }
}
