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
    ExchangeLog log = new ExchangeLog(3);
    for (long id = 1; id <= 5; id++) {
      log.put(exchange(id, true));
    }

    assertThat(log.newestFirst()).extracting(CapturedExchange::id).containsExactly(5L, 4L, 3L);
  }

  @Test
  void anEndSnapshotReplacesTheStartOneAndNeverTheReverse() {
    ExchangeLog log = new ExchangeLog(10);
    log.put(exchange(1, false));
    log.put(exchange(1, true));

    assertThat(log.put(exchange(1, false))).isFalse();
    assertThat(log.get(1).done()).isTrue();
    assertThat(log.size()).isEqualTo(1);
  }

  @Test
  void theEndOfAnEvictedExchangeIsDropped() {
    ExchangeLog log = new ExchangeLog(2);
    log.put(exchange(1, false));
    log.put(exchange(2, true));
    log.put(exchange(3, true));

    assertThat(log.put(exchange(1, true))).isFalse();
    assertThat(log.newestFirst()).extracting(CapturedExchange::id).containsExactly(3L, 2L);
  }
}
