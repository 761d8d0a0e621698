package dev.grok.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.registry.RecordingOwner;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The recording side of {@link ServerMetrics} without a network: labels and bounds (the request log's queue:
 * {@code requestlog.RequestLogTest}).
 */
class ServerMetricsUnitTest {
  private final ServerMetrics metrics = new ServerMetrics();
  private final TunnelRegistry registry = new TunnelRegistry(10, metrics);

  @AfterEach
  void close() {
    metrics.close();
  }

  private void end(Tunnel t, String method, int status, ErrorKind error) {
    metrics.exchangeEnded(t, method, "/p?q=1", status, error, 3, 5, TimeUnit.MILLISECONDS.toNanos(2), null);
  }

  @Test
  void unknownMethodsShareTheOtherLabelAndNoPathBecomesALabel() throws Exception {
    Tunnel t = registry.register("label-demo", 1, "alice", new RecordingOwner());
    end(t, "BREW", 200, null);
    end(t, "PROPFIND", 207, null);
    end(t, "GET", 0, ErrorKind.VISITOR_GONE);
    String text = metrics.scrape();
    assertThat(text).contains("grok_request_latency_seconds_count{method=\"OTHER\",status=\"2xx\","
        + "tunnel=\"label-demo\"} 2");
    assertThat(text).contains("status=\"none\"").doesNotContain("BREW").doesNotContain("/p?q=1");
    assertThat(text).contains("grok_errors_total{kind=\"visitor_gone\"} 1");
    assertThat(text).contains("grok_requests_total 3");
    assertThat(t.traffic().requests()).isEqualTo(3);
    assertThat(t.traffic().bytesIn()).isEqualTo(9);
  }

  @Test
  void anExchangeEndingAfterItsTunnelDoesNotBringTheLabelBack() throws Exception {
    Tunnel t = registry.register("gone-demo", 1, "alice", new RecordingOwner());
    end(t, "GET", 200, null);
    assertThat(registry.unregister(t)).isTrue();
    assertThat(metrics.scrape()).doesNotContain("gone-demo");
    end(t, "POST", 500, null); // a late exchange of the ended tunnel
    assertThat(metrics.scrape()).doesNotContain("gone-demo");
  }

  @Test
  void aNameTakenOverGetsFreshMetersUnderTheSameLabel() throws Exception {
    Tunnel first = registry.register("takeover", 1, "alice", new RecordingOwner());
    end(first, "GET", 200, null);
    Tunnel second = registry.register("takeover", 1, "alice", new RecordingOwner());
    end(second, "GET", 200, null);
    assertThat(metrics.scrape()).contains("grok_request_latency_seconds_count{method=\"GET\",status=\"2xx\","
        + "tunnel=\"takeover\"} 1");
  }
}
