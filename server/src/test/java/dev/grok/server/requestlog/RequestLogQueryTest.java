package dev.grok.server.requestlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What the API's parameters become, and the errors for bad ones (answered 400 with the value and what fits). */
class RequestLogQueryTest {
  @Test
  void absentParametersMeanTheNewestFiftyUnfiltered() {
    assertThat(RequestLogQuery.parse("demo", null, null, null, null, null))
        .isEqualTo(new RequestLogQuery("demo", null, 50, null, null, null, null, null, null));
  }

  @Test
  void statusIsOneStatusOrAClassAndMethodIsUpperCased() {
    RequestLogQuery q = RequestLogQuery.parse("demo", "17", "10", "post", "5xx", "a_b");
    assertThat(q).isEqualTo(new RequestLogQuery("demo", 17L, 10, "POST", 500, 599, "a_b", null, null));
    assertThat(RequestLogQuery.parse("demo", null, null, null, "404", null).statusMin()).isEqualTo(404);
    assertThat(RequestLogQuery.parse("demo", null, null, null, "404", null).statusMax()).isEqualTo(404);
    assertThat(RequestLogQuery.parse("demo", null, null, null, "2XX", null).statusMax()).isEqualTo(299);
  }

  @Test
  void aLimitAboveTheMaximumIsCutToIt() {
    assertThat(RequestLogQuery.parse("demo", null, "5000", null, null, null).limit())
        .isEqualTo(RequestLogQuery.MAX_LIMIT);
  }

  @Test
  void badParametersAreRefusedWithTheValueAndWhatWasExpected() {
    assertThatThrownBy(() -> RequestLogQuery.parse("d", "abc", null, null, null, null))
        .hasMessage("before: 'abc' (expected: a request id, the next_before of the previous page)");
    assertThatThrownBy(() -> RequestLogQuery.parse("d", "0", null, null, null, null))
        .hasMessage("before: '0' (expected: a request id >= 1)");
    assertThatThrownBy(() -> RequestLogQuery.parse("d", null, "0", null, null, null))
        .hasMessage("limit: '0' (expected: a whole number 1-200)");
    assertThatThrownBy(() -> RequestLogQuery.parse("d", null, "ten", null, null, null))
        .hasMessage("limit: 'ten' (expected: a whole number 1-200)");
    assertThatThrownBy(() -> RequestLogQuery.parse("d", null, null, null, "6xx", null))
        .hasMessage("status: '6xx' (expected: a status such as 404 or a class such as 5xx)");
    assertThatThrownBy(() -> RequestLogQuery.parse("d", null, null, null, "ok", null))
        .hasMessageStartingWith("status: 'ok'");
    assertThatThrownBy(() -> RequestLogQuery.parse("d", null, null, "GE T", null, null))
        .hasMessage("method: 'GE T' (expected: a method such as GET)");
    assertThatThrownBy(() -> RequestLogQuery.parse("d", null, null, null, null, "x".repeat(3000)))
        .hasMessage("q: 3000 characters (expected: at most 2048)");
  }
}
