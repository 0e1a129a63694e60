package dev.sdpshim.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds; fails the test with a description when it does not in time. */
final class Await {
  private static final long POLL_MS = 10;

  private Await() {
  }

  /** Waits for {@code condition}; returns how long it took. */
  static Duration until(Duration limit, BooleanSupplier condition, Supplier<String> state) {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + limit.toMillis() + " ms: " + state.get());
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
