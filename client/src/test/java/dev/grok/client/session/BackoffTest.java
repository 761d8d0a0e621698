package dev.grok.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void boundDoublesFromTheBaseUpToTheCap() {
    List<Long> bounds = new ArrayList<>();
    Backoff backoff = new Backoff(bound -> {
      bounds.add(bound);
      return bound;
    });
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    assertThat(bounds).containsExactly(250L, 500L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L, 15000L, 15000L);
  }

  @Test
  void delayIsTheJitteredDraw() {
    Backoff backoff = new Backoff(bound -> bound / 3);
    assertThat(backoff.next().toMillis()).isEqualTo(83);
    assertThat(backoff.next().toMillis()).isEqualTo(166);
  }

  @Test
  void fullJitterStaysWithinTheBound() {
    Backoff backoff = new Backoff();
    for (int i = 0; i < 1000; i++) {
      long bound = Math.min(15_000, 250L << Math.min(i, 16));
      assertThat(backoff.next().toMillis()).isBetween(0L, bound);
    }
  }

  @Test
  void resetStartsAgainFromTheBase() {
    List<Long> bounds = new ArrayList<>();
    Backoff backoff = new Backoff(bound -> {
      bounds.add(bound);
      return 0;
    });
    backoff.next();
    backoff.next();
    backoff.next();
    backoff.reset();
    backoff.next();
    assertThat(bounds).containsExactly(250L, 500L, 1000L, 250L);
  }
}
