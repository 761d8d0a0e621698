package dev.grok.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsoleListenerTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static final String NL = System.lineSeparator();

  private ConsoleListener listener(String format) {
    return new ConsoleListener(new PrintWriter(out), new PrintWriter(err), format);
  }

  @Test
  void textReadyLine() {
    listener("text").onReady("http://demo.localhost:8080", "http://localhost:3000");

    assertThat(out).hasToString("Forwarding http://demo.localhost:8080 -> http://localhost:3000" + NL);
  }

  @Test
  void textReconnectLine() {
    ConsoleListener listener = listener("text");
    listener.onReconnecting(Duration.ofSeconds(2), "connection refused");
    listener.onReconnecting(Duration.ofMillis(500), "stream reset");

    assertThat(out.toString().lines())
        .containsExactly("Reconnecting in 2s: connection refused", "Reconnecting in 0.5s: stream reset");
  }

  @Test
  void jsonReadyLineHasExactShape() {
    listener("json").onReady("http://demo.localhost:8080", "http://localhost:3000");

    assertThat(out).hasToString("{\"event\":\"tunnel_ready\",\"public_url\":\"http://demo.localhost:8080\","
        + "\"local_url\":\"http://localhost:3000\"}" + NL);
  }

  @Test
  void jsonReconnectLineHasExactShapeAndEscapes() {
    listener("json").onReconnecting(Duration.ofMillis(1500), "server said \"bye\"");

    assertThat(out).hasToString(
        "{\"event\":\"reconnecting\",\"delay_ms\":1500,\"reason\":\"server said \\\"bye\\\"\"}" + NL);
  }

  @Test
  void fatalGoesToStderrInBothModesAndAsAnEventInJson() {
    listener("text").onFatal(3, "invalid token");
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).isEqualTo("grok: invalid token" + NL);

    listener("json").onFatal(4, "subdomain demo is already taken");
    assertThat(out).hasToString(
        "{\"event\":\"fatal\",\"exit_code\":4,\"message\":\"subdomain demo is already taken\"}" + NL);
  }
}
