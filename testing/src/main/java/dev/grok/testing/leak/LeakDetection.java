package dev.grok.testing.leak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which Netty reported a resource leak. Use {@code @ExtendWith(LeakDetection.class)} on the
 * class (or {@code @RegisterExtension static LeakDetection leaks = new LeakDetection();}).
 *
 * <p>Sets {@link ResourceLeakDetector.Level#PARANOID} (every buffer tracked). Netty reports a leak only when a
 * leaked object was garbage-collected and a later allocation polls the detector's queue, so after each test (after
 * its {@code @AfterEach} methods) the extension runs the collector and allocates and releases buffers from every
 * allocator, twice, then fails the test with every report received. Reports that arrive before a test starts
 * belong to no test of this class and are dropped (Netty has logged them). After the class (after {@code
 * @AfterAll}), the same check fails the class for leaks of resources closed there.
 */
public final class LeakDetection
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private static final int ROUNDS = 2;
  private static final long GC_WAIT_MILLIS = 2_000;

  @Override
  public void beforeAll(ExtensionContext context) {
    LeakReports.install();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    LeakReports.install();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    LeakReports.drain();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check("test " + context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check("class " + context.getDisplayName() + " (after all its tests)");
  }

  private static void check(String during) {
    collectAndPoll();
    List<String> reports = LeakReports.drain();
    if (!reports.isEmpty()) {
      throw new AssertionError("Netty reported " + reports.size() + " leak(s) during " + during + ":\n"
          + String.join("\n\n", reports));
    }
  }

  /** Makes leaked, unreachable objects reach the detectors' queues, then makes the detectors poll them. */
  static void collectAndPoll() {
    for (int round = 0; round < ROUNDS && LeakReports.isEmpty(); round++) {
      awaitCollection();
      allocateAndRelease(PooledByteBufAllocator.DEFAULT);
      allocateAndRelease(UnpooledByteBufAllocator.DEFAULT);
      allocateAndRelease(ByteBufAllocator.DEFAULT);
    }
  }

  /**
   * Runs the collector and waits until a fresh sentinel's weak reference was enqueued: references cleared by the
   * same collection (the detectors' among them) are then being enqueued by the reference handler too.
   */
  private static void awaitCollection() {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
    long deadline = System.nanoTime() + GC_WAIT_MILLIS * 1_000_000;
    try {
      while (System.nanoTime() < deadline) {
        System.gc();
        if (queue.remove(50) != null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sentinel.clear();
    }
  }

  private static void allocateAndRelease(ByteBufAllocator allocator) {
    for (int i = 0; i < 4; i++) {
      ByteBuf heap = allocator.heapBuffer(8);
      heap.release();
      ByteBuf direct = allocator.directBuffer(8);
      direct.release();
    }
  }
}
