package dev.grok.testing.process;

import static dev.grok.testing.process.JavaProcessTest.fake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.testing.origin.LocalHttpOrigin;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrokProcessTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void readsTheTextForwardingLine() {
    try (GrokProcess grok = GrokProcess.start(
        fake("out:starting", "out:Forwarding http://demo.localhost:8080 -> http://localhost:3000", "wait"))) {
      assertThat(grok.awaitForwarding(TIMEOUT))
          .isEqualTo(new GrokProcess.Forwarding("http://demo.localhost:8080", "http://localhost:3000"));
    }
  }

  @Test
  void readsTheJsonReadinessEventAfterAGivenLine() {
    try (GrokProcess grok = GrokProcess.start(fake(
        "out:{\"event\":\"tunnel_ready\",\"public_url\":\"http://a.localhost:8080\",\"local_url\":\"http://x:1\"}",
        "out:{\"event\":\"reconnecting\"}",
        "out:{\"event\":\"tunnel_ready\",\"public_url\":\"http://b.localhost:8080\",\"local_url\":\"http://x:1\"}",
        "wait"))) {
      assertThat(grok.awaitForwarding(TIMEOUT).publicUrl()).isEqualTo("http://a.localhost:8080");
      assertThat(grok.awaitForwarding(1, TIMEOUT).publicUrl()).isEqualTo("http://b.localhost:8080");
    }
  }

  @Test
  void awaitsHealthOnTheAdminPort() {
    try (LocalHttpOrigin admin = LocalHttpOrigin.start(); GrokProcess grok = GrokProcess.start(fake("wait"))) {
      grok.awaitHealthy(admin.port(), TIMEOUT);

      assertThat(admin.takeRequest(TIMEOUT).uri()).isEqualTo("/health");
    }
  }

  @Test
  void healthWaitFailsWhenTheProcessExits() {
    try (LocalHttpOrigin admin = LocalHttpOrigin.start(); GrokProcess grok = GrokProcess.start(fake("exit:2"))) {
      admin.route("/health", r -> dev.grok.testing.origin.OriginResponse.text(503, "starting\n"));
      assertThat(grok.awaitExit(TIMEOUT)).isEqualTo(2);

      assertThatThrownBy(() -> grok.awaitHealthy(admin.port(), TIMEOUT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("exited");
    }
  }

  @Test
  void jarPropertyMustNameAnExistingFile() {
    String previous = System.getProperty(GrokProcess.SERVER_JAR_PROPERTY);
    try {
      System.setProperty(GrokProcess.SERVER_JAR_PROPERTY, "/nonexistent/grok-server.jar");
      assertThatThrownBy(GrokProcess::serverJar)
          .hasMessage("grok.server.jar: /nonexistent/grok-server.jar (expected: an existing jar file)");
    } finally {
      if (previous == null) {
        System.clearProperty(GrokProcess.SERVER_JAR_PROPERTY);
      } else {
        System.setProperty(GrokProcess.SERVER_JAR_PROPERTY, previous);
      }
    }
  }
}
