package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/grafana/grok.json} names only what the server really exports: a real server scraped at
 * {@code /metrics} after a request through a live tunnel (and one for an unknown host), then every metric name and
 * every grouping or matcher label in the dashboard's PromQL expressions and variable queries must appear there.
 */
@ExtendWith(LeakDetection.class)
@Timeout(90)
class GrafanaDashboardTest {
  private static final Path DASHBOARD =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../docs/grafana/grok.json").normalize();
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)");
  private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?");
  private static final Set<String> KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset");

  @TempDir
  Path dataDir;

  @Test
  void everyExpressionNamesAMetricAndLabelsTheServerExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> expressions = new ArrayList<>();
    collectQueries(dashboard, expressions);
    assertThat(expressions).as("PromQL expressions in %s", DASHBOARD).hasSizeGreaterThanOrEqualTo(10);
    Set<String> metrics = new TreeSet<>();
    Set<String> labels = new TreeSet<>();
    for (String expr : expressions) {
      parse(expr, metrics, labels);
    }
    assertThat(metrics).as("metrics the dashboard charts").contains("grok_request_latency_seconds_bucket",
        "grok_tunnel_bytes_total", "grok_errors_total", "grok_sessions", "jvm_memory_used_bytes");

    String scrape;
    try (OneTunnel tunnel = OneTunnel.start(dataDir, "grafana-demo")) {
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/bytes/2000").host(tunnel.host())).status())
          .isEqualTo(200);
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.server().host("nobody-here")))
          .status()).isEqualTo(404);
      // The JVM's GC pause series exist only once a collection happened in this (shared, test) JVM: make one.
      System.gc();
      HttpResponse<String> metricsPage = new AdminHttp(tunnel.server()).send("GET", "/metrics", null);
      assertThat(metricsPage.statusCode()).isEqualTo(200);
      scrape = metricsPage.body();
    }

    List<String> samples = scrape.lines().filter(l -> !l.startsWith("#")).toList();
    for (String metric : metrics) {
      assertThat(samples).as("a sample of %s at /metrics", metric)
          .anyMatch(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "));
    }
    for (String label : labels) {
      assertThat(samples).as("a sample with label %s at /metrics", label)
          .anyMatch(l -> l.contains("{" + label + "=\"") || l.contains("," + label + "=\""));
    }
  }

  /** Every panel target's {@code expr} and every variable's query, wherever they sit in the JSON. */
  private static void collectQueries(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.properties().forEach(field -> {
        JsonNode value = field.getValue();
        if ((field.getKey().equals("expr") || field.getKey().equals("query")) && value.isTextual()
            && !value.asText().equals("prometheus")) {
          out.add(value.asText());
        } else {
          collectQueries(value, out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> collectQueries(child, out));
    }
  }

  /** Adds the metric names and label names {@code expr} uses; fails on a word it cannot place. */
  private static void parse(String expr, Set<String> metrics, Set<String> labels) {
    Matcher values = LABEL_VALUES.matcher(expr);
    if (values.matches()) {
      metrics.add(values.group(1));
      labels.add(values.group(2));
      return;
    }
    String rest = RANGE.matcher(expr).replaceAll(" ");
    Matcher matchers = MATCHERS.matcher(rest);
    while (matchers.find()) {
      Matcher label = MATCHER_LABEL.matcher(STRING.matcher(matchers.group(1)).replaceAll("\"\""));
      while (label.find()) {
        labels.add(label.group(1));
      }
    }
    rest = MATCHERS.matcher(rest).replaceAll(" ");
    Matcher grouping = GROUPING.matcher(rest);
    while (grouping.find()) {
      for (String label : grouping.group(1).split(",")) {
        labels.add(label.strip());
      }
    }
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Matcher word = IDENTIFIER.matcher(STRING.matcher(rest).replaceAll(" "));
    while (word.find()) {
      boolean function = word.group(2) != null;
      if (!function && !KEYWORDS.contains(word.group(1))) {
        metrics.add(word.group(1));
      }
    }
  }
}
