package dev.grok.testing.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs small test classes through a nested JUnit engine and checks the extension's verdict on them. The nested
 * classes are static members, which Surefire does not run by itself.
 */
class LeakDetectionTest {

  @Test
  void failsATestThatLeaksAByteBuf() {
    Events tests = run(LeakingCase.class);

    tests.assertStatistics(stats -> stats.started(1).failed(1).succeeded(0));
    tests.assertThatEvents().haveExactly(1, event(test("leaksABuffer"),
        finishedWithFailure(instanceOf(AssertionError.class), message(m -> m.contains("LEAK:")
            && m.contains("during test leaksABuffer()")))));
  }

  @Test
  void passesACleanTest() {
    Events tests = run(CleanCase.class);

    tests.assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
  }

  @Test
  void worksAsARegisteredExtensionAndSetsParanoidLevel() {
    Events tests = run(RegisteredCase.class);

    tests.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    tests.assertThatEvents().haveExactly(1, event(test("leaks"), finishedWithFailure(message(m -> m.contains("LEAK:")))));
  }

  private static Events run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
  }

  /** Allocates a pooled buffer and drops it; the hint makes the report unique (Netty reports a trace once). */
  static void leakOneBuffer() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    leaked.writeLong(42);
    leaked.touch("deliberate leak " + UUID.randomUUID());
  }

  @ExtendWith(LeakDetection.class)
  static class LeakingCase {
    @Test
    void leaksABuffer() {
      leakOneBuffer();
    }
  }

  @ExtendWith(LeakDetection.class)
  static class CleanCase {
    @Test
    void releasesItsBuffer() {
      ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
      buffer.writeLong(42);
      assertThat(buffer.release()).isTrue();
    }
  }

  static class RegisteredCase {
    @RegisterExtension
    static final LeakDetection LEAKS = new LeakDetection();

    @Test
    void leaks() {
      leakOneBuffer();
    }

    @Test
    void runsAtParanoidLevel() {
      assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }
  }
}
