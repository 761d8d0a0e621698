package dev.grok.client.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Snapshots handed to the inspector's loop in batches: none lost, each exchange's last snapshot wins. */
class InspectorHandOverTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static CapturedExchange snapshot(long id, boolean done) {
    return new CapturedExchange(id, 0, 0, "GET", "/" + id, List.of(), CapturedBody.EMPTY, done ? 200 : 0, "",
        List.of(), CapturedBody.EMPTY, done, done ? 1_000 : 0, -1, -1, null, true, null);
  }

  private static int doneCount(Inspector inspector) throws Exception {
    return inspector.loop().submit(() -> (int) inspector.exchanges().newestFirst().stream()
        .filter(CapturedExchange::done).count()).get(5, TimeUnit.SECONDS);
  }

  @Test
  void everySnapshotPublishedFromAnotherThreadWhileTakesRunReachesTheLog() throws Exception {
    int exchanges = 3_000;
    try (Inspector inspector = new Inspector("http://localhost:3000", exchanges, 1024)) {
      // A publisher thread of its own, like a tunnel loop: takes run on the inspector's loop meanwhile, so
      // snapshots land before, during and after each take.
      Thread publisher = new Thread(() -> {
        for (long id = 1; id <= exchanges; id++) {
          inspector.publish(snapshot(id, false));
          inspector.publish(snapshot(id, true));
        }
      });
      publisher.start();
      publisher.join(WAIT.toMillis());

      await().atMost(WAIT).until(() -> doneCount(inspector) == exchanges);
      assertThat(inspector.dropped()).isZero();
      assertThat(inspector.loop().submit(() -> inspector.exchanges().size()).get(5, TimeUnit.SECONDS))
          .isEqualTo(exchanges);
    }
  }

  @Test
  void aSnapshotPublishedAfterABatchWasTakenStartsTheNextBatch() throws Exception {
    try (Inspector inspector = new Inspector("http://localhost:3000")) {
      inspector.publish(snapshot(1, true));
      await().atMost(WAIT).until(() -> doneCount(inspector) == 1);

      inspector.publish(snapshot(2, true));

      await().atMost(WAIT).until(() -> doneCount(inspector) == 2);
    }
  }
}
