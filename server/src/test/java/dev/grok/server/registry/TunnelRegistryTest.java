package dev.grok.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grok.common.compress.TunnelCompression;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TunnelRegistryTest {
  private final TunnelRegistry registry = new TunnelRegistry(2);

  @Test
  void registersRequestedNameLowerCased() throws Exception {
    Tunnel t = registry.register("Demo-App", 1, "alice", new RecordingOwner());
    assertThat(t.name()).isEqualTo("demo-app");
    assertThat(registry.lookup("demo-app")).isSameAs(t);
  }

  @Test
  void randomNamesAreLongAlphanumeric() throws Exception {
    Tunnel t = registry.register("", 1, "alice", new RecordingOwner());
    assertThat(t.name()).matches("[a-z0-9]{8,}");
  }

  @Test
  void refusesInvalidAndReservedNames() {
    for (String bad : new String[] {"ab", "-abc", "abc-", "a_b", "www", "API", "admin", "dashboard", "grok",
        "a.b.c", "x".repeat(64)}) {
      assertThatThrownBy(() -> registry.register(bad, 1, "alice", new RecordingOwner()))
          .isInstanceOf(TunnelRegistry.RegistrationException.class)
          .hasMessageContaining("invalid subdomain")
          .satisfies(e -> assertThat(((TunnelRegistry.RegistrationException) e).failure())
              .isEqualTo(TunnelRegistry.Failure.INVALID_SUBDOMAIN));
    }
  }

  @Test
  void nameHeldByAnotherUserIsTaken() throws Exception {
    registry.register("demo", 1, "alice", new RecordingOwner());
    assertThatThrownBy(() -> registry.register("demo", 1, "bob", new RecordingOwner()))
        .hasMessageContaining("already taken");
  }

  @Test
  void sameUserTakesTheNameOverFromItsOlderSession() throws Exception {
    RecordingOwner old = new RecordingOwner();
    registry.register("demo", 1, "alice", old);
    RecordingOwner fresh = new RecordingOwner();
    Tunnel t = registry.register("demo", 1, "alice", fresh);
    assertThat(registry.lookup("demo")).isSameAs(t);
    assertThat(old.evicted).singleElement().asString().contains("taken over");
    assertThat(fresh.evicted).isEmpty();
  }

  @Test
  void limitPerUserCountsLiveTunnels() throws Exception {
    RecordingOwner owner = new RecordingOwner();
    registry.register("one", 1, "alice", owner);
    registry.register("two", 2, "alice", owner);
    assertThatThrownBy(() -> registry.register("three", 3, "alice", owner))
        .hasMessageContaining("limit");
    registry.register("three", 1, "bob", new RecordingOwner());
    assertThat(registry.unregisterAll(owner)).hasSize(2);
    registry.register("four", 4, "alice", owner);
  }

  @Test
  void unregisterRemovesOnlyTheLiveTunnel() throws Exception {
    RecordingOwner old = new RecordingOwner();
    Tunnel first = registry.register("demo", 1, "alice", old);
    Tunnel second = registry.register("demo", 1, "alice", new RecordingOwner());
    assertThat(registry.unregister(first)).isFalse();
    assertThat(registry.lookup("demo")).isSameAs(second);
  }

  @Test
  void portHeldByAnotherUserIsTakenAndTheSameUserTakesItOver() throws Exception {
    RecordingOwner old = new RecordingOwner();
    Tunnel first = registry.registerPort(10001, 1, "alice", old);
    assertThat(first.name()).isEqualTo("tcp-10001");
    assertThat(first.isTcp()).isTrue();
    assertThatThrownBy(() -> registry.registerPort(10001, 1, "bob", new RecordingOwner()))
        .hasMessageContaining("already taken")
        .satisfies(e -> assertThat(((TunnelRegistry.RegistrationException) e).failure())
            .isEqualTo(TunnelRegistry.Failure.ALREADY_TAKEN));

    Tunnel second = registry.registerPort(10001, 1, "alice", new RecordingOwner());

    assertThat(registry.lookupPort(10001)).isSameAs(second);
    assertThat(old.evicted).singleElement().asString().contains("taken over");
    assertThat(registry.unregister(first)).isFalse();
    assertThat(registry.unregister(second)).isTrue();
    assertThat(registry.lookupPort(10001)).isNull();
  }

  @Test
  void tcpPortsAndNamesNeverRouteToEachOther() throws Exception {
    registry.registerPort(10001, 1, "alice", new RecordingOwner());
    assertThat(registry.lookup("tcp-10001")).isNull();
    Tunnel named = registry.register("tcp-10001", 2, "bob", new RecordingOwner());
    assertThat(registry.lookup("tcp-10001")).isSameAs(named);
    assertThat(registry.lookupPort(10001).user()).isEqualTo("alice");
  }

  @Test
  void limitPerUserCountsHttpAndTcpTunnelsTogether() throws Exception {
    RecordingOwner owner = new RecordingOwner();
    registry.register("one", 1, "alice", owner);
    registry.registerPort(10001, 2, "alice", owner);
    assertThatThrownBy(() -> registry.registerPort(10002, 3, "alice", owner)).hasMessageContaining("limit");
    assertThatThrownBy(() -> registry.register("three", 3, "alice", owner)).hasMessageContaining("limit");
    assertThat(registry.unregisterAll(owner)).hasSize(2);
  }

  @Test
  void orgMembersNamesArePublishedWithTheOrgSlugRandomOnesToo() throws Exception {
    Tunnel named = registry.register("Demo", "acme", 1, "alice@acme.example", new RecordingOwner(), null, TunnelCompression.NONE);
    Tunnel random = registry.register("", "acme", 2, "alice@acme.example", new RecordingOwner(), null, TunnelCompression.NONE);

    assertThat(named.name()).isEqualTo("demo-acme");
    assertThat(random.name()).matches("[a-z0-9]{10}-acme");
    assertThat(registry.lookup("demo-acme")).isSameAs(named);
    assertThat(registry.lookup("demo")).isNull();
    // Another org's member asking for the same NAME gets their own.
    assertThat(registry.register("demo", "globex", 1, "bob@globex.example", new RecordingOwner(), null, TunnelCompression.NONE).name())
        .isEqualTo("demo-globex");
  }

  @Test
  void orgNameLongerThanADnsLabelIsRefusedSayingTheRoomLeft() {
    assertThatThrownBy(() -> registry.register("x".repeat(60), "acme", 1, "alice", new RecordingOwner(), null, TunnelCompression.NONE))
        .isInstanceOf(TunnelRegistry.RegistrationException.class)
        .hasMessageContaining("invalid subdomain").hasMessageContaining("at most 58 characters")
        .hasMessageContaining("NAME-acme");
  }

  @Test
  void userOutsideAnOrgCannotClaimANameInItsMembersNamespace() throws Exception {
    registry.orgSlugs(Set.of("acme"));

    assertThatThrownBy(() -> registry.register("Demo-Acme", null, 1, "mallory", new RecordingOwner(), null,
        TunnelCompression.NONE))
        .isInstanceOf(TunnelRegistry.RegistrationException.class)
        .satisfies(e -> assertThat(((TunnelRegistry.RegistrationException) e).failure())
            .isEqualTo(TunnelRegistry.Failure.INVALID_SUBDOMAIN))
        .hasMessageContaining("invalid subdomain 'Demo-Acme'").hasMessageContaining("ends in '-acme'")
        .hasMessageContaining("ask its admin to add your user to the org");
    assertThat(registry.lookup("demo-acme")).isNull();
    // Names that merely contain the slug, or end in a slug that is no org's, stay free.
    assertThat(registry.register("acme-demo", null, 2, "mallory", new RecordingOwner(), null, TunnelCompression.NONE)
        .name()).isEqualTo("acme-demo");
    assertThat(registry.register("demo-acmes", null, 3, "mallory", new RecordingOwner(), null,
        TunnelCompression.NONE).name()).isEqualTo("demo-acmes");
  }

  @Test
  void memberOfTheOrgGetsTheNameAndAnotherOrgsMemberCannotReachIntoALongerSlug() throws Exception {
    registry.orgSlugs(Set.of("acme", "x", "acme-x"));

    // acme's member asks for "demo": published demo-acme, their own namespace.
    assertThat(registry.register("demo", "acme", 1, "alice@acme.example", new RecordingOwner(), null,
        TunnelCompression.NONE).name()).isEqualTo("demo-acme");
    // x's member asking for "demo-acme" would publish demo-acme-x: a name of org acme-x's member "demo".
    assertThatThrownBy(() -> registry.register("demo-acme", "x", 2, "xavier@x.example", new RecordingOwner(), null,
        TunnelCompression.NONE))
        .hasMessageContaining("published as 'demo-acme-x'").hasMessageContaining("ends in '-acme-x'");
    assertThat(registry.lookup("demo-acme-x")).isNull();
  }

  @Test
  void orgsLearnedLaterApplyToTheNextRegistration() throws Exception {
    assertThat(registry.register("demo-initech", null, 1, "mallory", new RecordingOwner(), null,
        TunnelCompression.NONE).name()).isEqualTo("demo-initech");

    registry.orgSlugs(Set.of("initech"));

    assertThat(registry.lookup("demo-initech")).isNotNull(); // a live tunnel is not cut off
    assertThatThrownBy(() -> registry.register("shop-initech", null, 2, "mallory", new RecordingOwner(), null,
        TunnelCompression.NONE)).hasMessageContaining("ends in '-initech'");
  }

  @Test
  void namesUnderOrgAreTheLiveNamesEndingInItsSlug() throws Exception {
    registry.register("demo-initech", null, 1, "mallory", new RecordingOwner(), null, TunnelCompression.NONE);
    registry.register("shop", "initech", 1, "ann@initech.example", new RecordingOwner(), null, TunnelCompression.NONE);
    registry.register("initech-blog", null, 2, "mallory", new RecordingOwner(), null, TunnelCompression.NONE);

    assertThat(registry.namesUnderOrg("initech")).containsExactly("demo-initech", "shop-initech");
    assertThat(registry.namesUnderOrg("globex")).isEmpty();
  }
}
