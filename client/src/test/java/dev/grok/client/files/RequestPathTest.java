package dev.grok.client.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestPathTest {
  @Test
  void decodesOnceAndSplitsIntoNames() throws Exception {
    RequestPath p = RequestPath.parse("/docs/a%20b/%C3%A9t%C3%A9.txt?x=1&y=%2F");

    assertThat(p.names()).containsExactly("docs", "a b", "été.txt");
    assertThat(p.query()).isEqualTo("x=1&y=%2F");
    assertThat(p.rawPath()).isEqualTo("/docs/a%20b/%C3%A9t%C3%A9.txt");
    assertThat(p.trailingSlash()).isFalse();
  }

  @Test
  void dropsEmptyAndDotSegmentsAndKeepsTheTrailingSlash() throws Exception {
    RequestPath p = RequestPath.parse("//a/./b//");

    assertThat(p.names()).containsExactly("a", "b");
    assertThat(p.trailingSlash()).isTrue();
    assertThat(RequestPath.parse("/").names()).isEmpty();
  }

  @Test
  void absoluteFormKeepsOnlyThePath() throws Exception {
    assertThat(RequestPath.parse("http://demo.localhost:8080/a/b?q").names()).containsExactly("a", "b");
    assertThat(RequestPath.parse("HTTP://demo.localhost").names()).isEmpty();
  }

  @Test
  void doubleEncodingStaysALiteralName() throws Exception {
    assertThat(RequestPath.parse("/%252e%252e/secret").names()).containsExactly("%2e%2e", "secret");
  }

  @Test
  void everyTraversalFormIsRefused() {
    for (String target : List.of("/../secret", "/a/../../secret", "/%2e%2e/secret", "/%2E%2e/secret",
        "/.%2e/secret", "/a%2f..%2fsecret", "/a%2F..%2Fsecret", "/..\\secret", "/a%5c..%5csecret", "/a%5C..",
        "/secret%00.txt", "/a\u0000b", "/%zz", "/%c3", "secret", "*", "http://x/..")) {
      assertThatThrownBy(() -> RequestPath.parse(target)).as(target)
          .isInstanceOf(RequestPath.RefusedException.class);
    }
  }
}
