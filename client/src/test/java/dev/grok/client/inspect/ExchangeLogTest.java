package dev.grok.client.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangeLogTest {
  private static CapturedExchange exchange(long id, boolean done) {
    return new CapturedExchange(id, 0, 0, "GET", "/" + id, List.of(), CapturedBody.EMPTY, done ? 200 : 0, "",
        List.of(), CapturedBody.EMPTY, done, done ? 1_000_000 : 0, -1, -1, null, true, null);
  }

  @Test
  void keepsTheNewestUpToItsCapacityNewestFirst() {
    ExchangeLog log = new ExchangeLog(3, Long.MAX_VALUE);
    for (long id = 1; id <= 5; id++) {
      log.put(exchange(id, true));
    }

    assertThat(log.newestFirst()).extracting(CapturedExchange::id).containsExactly(5L, 4L, 3L);
  }

  @Test
  void anEndSnapshotReplacesTheStartOneAndNeverTheReverse() {
    ExchangeLog log = new ExchangeLog(10, Long.MAX_VALUE);
    log.put(exchange(1, false));
    log.put(exchange(1, true));

    assertThat(log.put(exchange(1, false))).isFalse();
    assertThat(log.get(1).done()).isTrue();
    assertThat(log.size()).isEqualTo(1);
  }

  @Test
  void theEndOfAnEvictedExchangeIsDropped() {
    ExchangeLog log = new ExchangeLog(2, Long.MAX_VALUE);
    log.put(exchange(1, false));
    log.put(exchange(2, true));
    log.put(exchange(3, true));

    assertThat(log.put(exchange(1, true))).isFalse();
    assertThat(log.newestFirst()).extracting(CapturedExchange::id).containsExactly(3L, 2L);
  }

  private static CapturedExchange withBodies(long id, int requestBytes, int responseBytes) {
    return new CapturedExchange(id, 0, 0, "POST", "/" + id, List.of(), body(requestBytes), 200, "", List.of(),
        body(responseBytes), true, 1_000_000, -1, -1, null, true, null);
  }

  private static CapturedBody body(int n) {
    return new CapturedBody(new byte[n], n, n);
  }

  @Test
  void oldestExchangesGoWhenTheirBodiesWouldHoldMoreThanTheBudget() {
    ExchangeLog log = new ExchangeLog(500, 100_000);
    for (long id = 1; id <= 10; id++) {
      log.put(withBodies(id, 10_000, 20_000)); // 30,000 bytes each: three fit
    }

    assertThat(log.newestFirst()).extracting(CapturedExchange::id).containsExactly(10L, 9L, 8L);
    assertThat(log.bodyBytes()).isEqualTo(90_000);
  }

  @Test
  void anEndSnapshotWithBiggerBodiesIsCountedAndMayEvictOlderOnes() {
    ExchangeLog log = new ExchangeLog(500, 100_000);
    log.put(withBodies(1, 30_000, 0));
    log.put(withBodies(2, 30_000, 0));
    log.put(withBodies(3, 10_000, 0));
    log.put(withBodies(3, 10_000, 60_000)); // its response body arrived: 130,000 in all

    assertThat(log.newestFirst()).extracting(CapturedExchange::id).containsExactly(3L, 2L);
    assertThat(log.bodyBytes()).isEqualTo(100_000);
  }

  @Test
  void theNewestExchangeStaysEvenAboveTheBudget() {
    ExchangeLog log = new ExchangeLog(500, 1_000);
    log.put(withBodies(1, 500, 0));
    log.put(withBodies(2, 5_000, 5_000));

    assertThat(log.newestFirst()).extracting(CapturedExchange::id).containsExactly(2L);
    assertThat(log.bodyBytes()).isEqualTo(10_000);
    log.clear();
    assertThat(log.bodyBytes()).isZero();
  }
}
