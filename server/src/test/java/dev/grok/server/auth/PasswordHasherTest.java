package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(64, 1);

  @Test
  void defaultHashIsArgon2idWithOwaspParametersInPhcFormat() {
    String phc = new PasswordHasher().hash("correct horse");
    assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.verify("correct horse", phc)).isTrue(); // the parameters come from the hash
  }

  @Test
  void rightPasswordVerifiesWrongOneDoesNot() {
    String phc = hasher.hash("correct horse");
    assertThat(hasher.verify("correct horse", phc)).isTrue();
    assertThat(hasher.verify("correct hors", phc)).isFalse();
    assertThat(hasher.verify(null, phc)).isFalse();
  }

  @Test
  void samePasswordGetsAFreshSaltEachTime() {
    assertThat(hasher.hash("correct horse")).isNotEqualTo(hasher.hash("correct horse"));
  }

  @Test
  void missingOrMalformedHashMatchesNothing() {
    assertThat(hasher.verify("decoy password that nobody has", null)).isFalse();
    assertThat(hasher.verify("anything at all", "$2a$10$notargon")).isFalse();
  }

  @Test
  void tooShortOrTooLongPasswordsAreRefusedWithTheLimits() {
    assertThatThrownBy(() -> hasher.hash("short")).isInstanceOf(AccountException.class)
        .hasMessage("password: 5 characters (expected: 8-1024 characters)");
    assertThatThrownBy(() -> hasher.hash("x".repeat(1025))).hasMessageContaining("1025 characters");
    assertThat(hasher.verify("x".repeat(1025), hasher.hash("x".repeat(1024)))).isFalse();
  }
}
