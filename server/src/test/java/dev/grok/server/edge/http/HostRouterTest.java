package dev.grok.server.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostRouterTest {
  private final HostRouter router = new HostRouter("localhost");

  @Test
  void routesSubdomainWithOrWithoutPortCaseInsensitively() {
    assertThat(router.nameOf("demo.localhost:8080")).isEqualTo("demo");
    assertThat(router.nameOf("DEMO.LocalHost")).isEqualTo("demo");
    assertThat(router.nameOf("demo.localhost.")).isEqualTo("demo");
  }

  @Test
  void hostsOutsideTheDomainHaveNoName() {
    assertThat(router.nameOf("localhost:8080")).isNull();
    assertThat(router.nameOf("demo.example.com")).isNull();
    assertThat(router.nameOf("a.b.localhost")).isNull();
    assertThat(router.nameOf("demolocalhost")).isNull();
    assertThat(router.nameOf("")).isNull();
    assertThat(router.nameOf(null)).isNull();
  }

  @Test
  void deeperDomainsWork() {
    HostRouter r = new HostRouter("tunnel.example.com");
    assertThat(r.nameOf("app.tunnel.example.com:443")).isEqualTo("app");
    assertThat(r.nameOf("app.example.com")).isNull();
  }
}
