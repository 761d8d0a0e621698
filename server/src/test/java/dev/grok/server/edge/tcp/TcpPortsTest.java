package dev.grok.server.edge.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TcpPortsTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final TcpPorts ports = new TcpPorts(new PortRange(10000, 10004), nanos::get);
  private final Set<Integer> used = new HashSet<>();

  private int pick(String user) {
    int port = ports.pick(user, used::contains);
    if (port > 0) {
      used.add(port);
    }
    return port;
  }

  @Test
  void handsOutEveryPortOfTheRangeOnceThenNone() {
    Set<Integer> given = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      given.add(pick("alice"));
    }
    assertThat(given).containsExactlyInAnyOrder(10000, 10001, 10002, 10003, 10004);
    assertThat(pick("alice")).isEqualTo(-1);
  }

  @Test
  void releasedPortGoesBackToItsUserAndToNobodyElse() {
    int alices = pick("alice");
    used.remove(alices);
    ports.remember("alice", alices);

    for (int i = 0; i < 4; i++) {
      assertThat(pick("bob")).as("bob's pick %d", i).isNotEqualTo(alices).isPositive();
    }
    assertThat(pick("bob")).as("only alice's reserved port is left").isEqualTo(-1);
    assertThat(pick("alice")).isEqualTo(alices);
  }

  @Test
  void theMostRecentReleaseComesBackFirst() {
    int first = pick("alice");
    int second = pick("alice");
    used.clear();
    ports.remember("alice", first);
    ports.remember("alice", second);

    assertThat(pick("alice")).isEqualTo(second);
    assertThat(pick("alice")).isEqualTo(first);
  }

  @Test
  void reservationLapsesAfterTheResumeWindow() {
    int alices = pick("alice");
    used.remove(alices);
    ports.remember("alice", alices);
    assertThat(ports.rememberedCount()).isEqualTo(1);

    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(TcpPorts.RESUME_MILLIS) + 1);

    assertThat(ports.rememberedCount()).isZero();
    Set<Integer> bobs = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      bobs.add(pick("bob"));
    }
    assertThat(bobs).contains(alices);
  }

  @Test
  void rangeIsValidatedWithTheValueAndTheExpectedForm() {
    assertThat(PortRange.parse(" 10000 - 10010 ")).isEqualTo(new PortRange(10000, 10010));
    for (String bad : new String[] {"20000-10000", "0-10", "1-70000", "10000", "a-b", ""}) {
      assertThatThrownBy(() -> PortRange.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tcp-ports")
          .hasMessageContaining("expected: a port range A-B");
    }
  }
}
