package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.testing.browser.HeadlessChrome;
import dev.grok.testing.Header;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.origin.OriginResponse;
import dev.grok.testing.origin.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inspector's page in headless Chromium: requests appear live (event stream, no reload), the detail shows the
 * body, replay adds an entry the local service also received, and the HAR export parses.
 */
@Timeout(120)
class InspectorBrowserTest {
  private static final String NAME = "browsed";
  /** Generous on a loaded machine; what is asserted is that the page updates without a reload. */
  private static final Duration UPDATE = Duration.ofSeconds(10);

  /** Per test: each test has a fresh inspector and browser. */
  @RegisterExtension
  final OneTunnel tunnel = OneTunnel.builder()
      .routes(origin -> origin.route("/api/orders", r -> new OriginResponse(201,
          List.of(new Header("Content-Type", "application/json")),
          "{\"order\":17,\"state\":\"created\"}".getBytes(StandardCharsets.UTF_8))))
      .build();
  InspectedClient client;
  HeadlessChrome browser;

  @BeforeEach
  void start() {
    client = tunnel.closing(InspectedClient.ready(tunnel.server(), NAME, tunnel.origin().port(), 64 * 1024));
    browser = tunnel.closing(HeadlessChrome.start());
  }

  private void post(String target, String body) throws Exception {
    RawHttp.exchange(tunnel.httpPort(), RawRequest.of("POST", target).host(tunnel.host(NAME))
        .header("Content-Type", "application/json").body(body));
  }

  private long rows(String path) {
    return browser.count("tr.exchange-row td.path", path);
  }

  @Test
  void requestAppearsLiveShowsItsBodyAndReplays() throws Exception {
    browser.open(client.inspectorUrl());
    await().atMost(UPDATE).until(() -> browser.text("#status").contains("online"));
    await().atMost(UPDATE).until(() -> browser.fetchText("/api/status").contains("\"connected\":true"));
    // The page is open and subscribed before the request is made: it must show up without a reload.
    await().atMost(UPDATE).until(() -> browser.text("#empty").contains("No requests yet"));

    post("/api/orders?source=shop", "{\"item\":\"book\",\"quantity\":2}");
    await().atMost(UPDATE).until(() -> rows("/api/orders?source=shop") == 1);
    RecordedRequest first = tunnel.origin().takeRequest(UPDATE);

    assertThat(browser.click("tr.exchange-row")).isTrue();
    await().atMost(UPDATE).until(() -> browser.text("#detail").contains("\"quantity\": 2"));
    assertThat(browser.text("#detail")).contains("\"order\": 17").contains("Content-Type");

    assertThat(browser.click("#replay")).isTrue();
    await().atMost(UPDATE).until(() -> rows("/api/orders?source=shop") == 2);
    RecordedRequest replayed = tunnel.origin().takeRequest(UPDATE);
    assertThat(replayed.uri()).isEqualTo("/api/orders?source=shop");
    assertThat(replayed.bodySha256()).isEqualTo(first.bodySha256());

    post("/api/orders?source=app", "{\"item\":\"pen\",\"quantity\":5}");
    await().atMost(UPDATE).until(() -> rows("/api/orders?source=app") == 1);
    browser.screenshot("inspector.png", 1400, 900);

    String href = browser.one("#export-all").getAttribute("href");
    JsonNode har = InspectorHttp.parse(browser.fetchText(href));
    assertThat(har.path("log").path("entries").size()).isEqualTo(3);
    assertThat(har.path("log").path("entries").get(0).path("request").path("url").asText())
        .isEqualTo(client.publicUrl() + "/api/orders?source=shop");
  }
}
