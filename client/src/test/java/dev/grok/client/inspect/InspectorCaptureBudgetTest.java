package dev.grok.client.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.client.forward.ExchangeObserver;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InspectorCaptureBudgetTest {
  @Test
  void bodiesOfExchangesInProgressAreCapturedWithinOneBudgetGivenBackAtTheirEnd() {
    try (Inspector inspector = new Inspector("http://localhost:3000")) {
      int limit = Inspector.DEFAULT_BODY_LIMIT_BYTES;
      int fitting = (int) (Inspector.MAX_CAPTURING_BODY_BYTES / limit);
      List<ExchangeObserver> inProgress = new ArrayList<>();
      for (int i = 0; i < fitting + 50; i++) {
        ExchangeObserver o = inspector.open(i + 1);
        o.onRequestBody(Unpooled.wrappedBuffer(new byte[limit]));
        inProgress.add(o);
      }
      assertThat(inspector.capturingBodyBytes()).isEqualTo(Inspector.MAX_CAPTURING_BODY_BYTES);

      for (ExchangeObserver o : inProgress) {
        o.onEnd(null);
      }
      assertThat(inspector.capturingBodyBytes()).isZero();
      ExchangeObserver next = inspector.open(fitting + 51);
      next.onResponseBody(Unpooled.wrappedBuffer(new byte[limit]));
      assertThat(inspector.capturingBodyBytes()).isEqualTo(limit);
      next.onEnd(null);
    }
  }
}
