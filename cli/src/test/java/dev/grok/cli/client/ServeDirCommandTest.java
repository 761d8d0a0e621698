package dev.grok.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.ClientMain;
import dev.grok.cli.Invocation;
import dev.grok.client.ClientConfig;
import dev.grok.client.TunnelSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeDirCommandTest {
  @TempDir
  Path home;
  @TempDir
  Path workDir;

  private ClientEnvironment env() {
    return new ClientEnvironment(Map.of("GROK_TOKEN", "t"), home, workDir);
  }

  private ClientConfig config(String... args) {
    CommandLine root = ClientMain.commandLine(env());
    root.setErr(new PrintWriter(new StringWriter()));
    root.parseArgs(args);
    ServeDirCommand serve = root.getSubcommands().get("serve").getCommand();
    return serve.toConfig();
  }

  @Test
  void defaultsServeTheDirectoryWithGzipAndNoFallbacks() throws IOException {
    Files.createDirectories(workDir.resolve("site"));

    ClientConfig config = config("serve", "site");

    assertThat(((TunnelSpec.Serve) config.spec()).options().root()).isEqualTo(workDir.resolve("site").toAbsolutePath());
    assertThat(((TunnelSpec.Serve) config.spec()).options().gzip()).isTrue();
    assertThat(((TunnelSpec.Serve) config.spec()).options().spa()).isFalse();
    assertThat(((TunnelSpec.Serve) config.spec()).options().notFoundPage()).isNull();
    assertThat(config.localUrl()).isEqualTo("file://" + workDir.resolve("site").toAbsolutePath());
    assertThat(((TunnelSpec.Serve) config.spec()).basicAuth()).isNull();
  }

  @Test
  void flagsReachTheServeOptions() throws IOException {
    Path site = Files.createDirectories(workDir.resolve("site"));
    Files.writeString(site.resolve("missing.html"), "gone");

    ClientConfig config = config("serve", site.toString(), "--subdomain", "docs", "--no-gzip", "--404",
        "missing.html", "--spa", "--basic-auth", "u:p");

    assertThat(((TunnelSpec.Serve) config.spec()).subdomain()).isEqualTo("docs");
    assertThat(((TunnelSpec.Serve) config.spec()).options().gzip()).isFalse();
    assertThat(((TunnelSpec.Serve) config.spec()).options().spa()).isTrue();
    assertThat(((TunnelSpec.Serve) config.spec()).options().notFoundPage()).isEqualTo(site.resolve("missing.html"));
    assertThat(((TunnelSpec.Serve) config.spec()).basicAuth()).isEqualTo("u:p");
  }

  @Test
  void missingDirectoryExitsTwoSayingWhatWasExpected() {
    Invocation run = Invocation.run(ClientMain.commandLine(env()), "serve", "no-such-dir");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'no-such-dir'").contains("expected: an existing directory");
  }

  @Test
  void missing404PageExitsTwoSayingWhereItWasLookedFor() throws IOException {
    Files.createDirectories(workDir.resolve("site"));

    Invocation run = Invocation.run(ClientMain.commandLine(env()), "serve", "site", "--404", "nope.html");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--404").contains("nope.html").contains("relative to DIR or absolute");
  }

  @Test
  void malformedBasicAuthExitsTwo() throws IOException {
    Files.createDirectories(workDir.resolve("site"));

    Invocation run = Invocation.run(ClientMain.commandLine(env()), "serve", "site", "--basic-auth", "nopass");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("expected: USER:PASS");
  }
}
