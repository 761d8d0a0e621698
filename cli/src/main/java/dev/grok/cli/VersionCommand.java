package dev.grok.cli;

import dev.grok.common.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code version}: prints the program name and version, e.g. {@code grok-server 0.1.0}. */
@Command(name = "version", description = "Print the version and exit.")
public final class VersionCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(spec.parent().name() + " " + Version.current());
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** For {@code --version} on the top-level command. */
  public static final class Provider implements IVersionProvider {
    @Spec
    private CommandSpec spec;

    @Override
    public String[] getVersion() {
      return new String[] {spec.root().name() + " " + Version.current()};
    }
  }
}
