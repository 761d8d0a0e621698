package dev.grok.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicAuthTest {
  private static String header(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void admitsTheExactCredentialsWithTheSchemeInAnyCase() {
    BasicAuth auth = BasicAuth.of("alice:s3cret:with:colons");

    assertThat(auth.admits(header("alice:s3cret:with:colons"))).isTrue();
    assertThat(auth.admits(header("alice:s3cret:with:colons").replace("Basic", "bAsIc"))).isTrue();
  }

  @Test
  void refusesMissingWrongAndMalformedHeaders() {
    BasicAuth auth = BasicAuth.of("alice:s3cret");

    assertThat(auth.admits(null)).isFalse();
    assertThat(auth.admits(header("alice:wrong"))).isFalse();
    assertThat(auth.admits(header("bob:s3cret"))).isFalse();
    assertThat(auth.admits("Bearer " + header("alice:s3cret").substring(6))).isFalse();
    assertThat(auth.admits("Basic not*base64")).isFalse();
    assertThat(auth.admits("Basic ")).isFalse();
  }

  @Test
  void twoCredentialsOfTheSamePairEachAdmitItAndToStringHidesIt() {
    BasicAuth one = BasicAuth.of("alice:s3cret");
    BasicAuth two = BasicAuth.of("alice:s3cret");

    assertThat(one.admits(header("alice:s3cret"))).isTrue();
    assertThat(two.admits(header("alice:s3cret"))).isTrue();
    assertThat(one.toString()).doesNotContain("s3cret");
  }

  @Test
  void emptyMeansNoneAndMalformedIsRefusedWithTheExpectedForm() {
    assertThat(BasicAuth.of("")).isNull();
    assertThat(new Tunnel("demo", 1, "alice", new RecordingOwner()).admits(null)).isTrue();
    for (String bad : new String[] {"nocolon", ":pass", "user:"}) {
      assertThatThrownBy(() -> BasicAuth.of(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("USER:PASS");
    }
  }
}
