package dev.grok.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class OptionDefaultsTest {
  @TempDir
  Path dir;

  @Command(name = "demo")
  static final class Demo {
    @Option(names = "--config")
    Path config;

    @Option(names = "--http-port", defaultValue = "8080")
    int httpPort;
  }

  @Test
  void namesFollowTheContract() {
    assertThat(OptionDefaults.envName("--http-port")).isEqualTo("GROK_HTTP_PORT");
    assertThat(OptionDefaults.envName("--max-tunnels-per-user")).isEqualTo("GROK_MAX_TUNNELS_PER_USER");
    assertThat(OptionDefaults.key("--http-port")).isEqualTo("http-port");
  }

  @Test
  void checkReportsABadFileEvenWhenEveryOptionCameFromFlags() throws IOException {
    Path file = dir.resolve("demo.yml");
    Files.writeString(file, "colour: blue\n");
    Demo demo = new Demo();
    CommandLine cl = new CommandLine(demo);
    OptionDefaults defaults = new OptionDefaults(Map.of(), "DEMO_CONFIG", Set.of("http-port"));
    cl.setDefaultValueProvider(defaults);
    cl.parseArgs("--config", file.toString(), "--http-port", "1");

    assertThatThrownBy(() -> defaults.check(cl.getCommandSpec()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("unknown key 'colour'");
  }

  @Test
  void blankEnvironmentValueCountsAsUnset() {
    Demo demo = new Demo();
    CommandLine cl = new CommandLine(demo);
    cl.setDefaultValueProvider(new OptionDefaults(Map.of("GROK_HTTP_PORT", " "), "DEMO_CONFIG", Set.of("http-port")));
    cl.parseArgs();

    assertThat(demo.httpPort).isEqualTo(8080);
  }

  @Test
  void optionsOutsideTheFileKeysIgnoreTheEnvironment() {
    Demo demo = new Demo();
    CommandLine cl = new CommandLine(demo);
    cl.setDefaultValueProvider(new OptionDefaults(Map.of("GROK_HTTP_PORT", "1"), "DEMO_CONFIG", Set.of("bind")));
    cl.parseArgs();

    assertThat(demo.httpPort).isEqualTo(8080);
  }

  @Test
  void environmentGivesOptionsInTheFileKeys() {
    Demo demo = new Demo();
    CommandLine cl = new CommandLine(demo);
    cl.setDefaultValueProvider(new OptionDefaults(Map.of("GROK_HTTP_PORT", "1"), "DEMO_CONFIG", Set.of("http-port")));
    cl.parseArgs();

    assertThat(demo.httpPort).isEqualTo(1);
  }

  @Test
  void emptyYamlFileHoldsNoValues() throws IOException {
    Path file = dir.resolve("empty.yml");
    Files.writeString(file, "# nothing yet\n");

    assertThat(YamlOptionsFile.read(file, Set.of("http-port"))).isEmpty();
  }

  @Test
  void yamlThatIsNotAMappingIsExplained() throws IOException {
    Path file = dir.resolve("list.yml");
    Files.writeString(file, "- http-port\n");

    assertThatThrownBy(() -> YamlOptionsFile.read(file, Set.of("http-port")))
        .hasMessageContaining("expected a mapping of option names to values");
  }

  @Test
  void duplicateYamlKeyIsRejected() throws IOException {
    Path file = dir.resolve("dup.yml");
    Files.writeString(file, "http-port: 1\nhttp-port: 2\n");

    assertThatThrownBy(() -> YamlOptionsFile.read(file, Set.of("http-port")))
        .hasMessageContaining("not valid YAML").hasMessageContaining("http-port");
  }
}
