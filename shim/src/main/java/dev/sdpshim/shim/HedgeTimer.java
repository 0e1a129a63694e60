package dev.sdpshim.shim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the hedges of a group's connects that are still pending after the hedge delay. A connect
 * only registers here (a set insert) and deregisters when it is done: no timer task is scheduled
 * per connect, so the healthy path does not wake another thread. The timer's thread sleeps until
 * the earliest registered connect is due, or at most one delay, so a connect registered while it
 * sleeps is seen before it is due: hedges start on time without per-connect wake-ups.
 */
final class HedgeTimer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RailGroup.class);
  private final long delayNanos;
  private final Set<HedgedConnect> pending = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean closed;

  HedgeTimer(String groupName, long delayNanos) {
    this.delayNanos = delayNanos;
    this.thread = Thread.ofPlatform().daemon().name("sdp-shim-rails-" + groupName + "-hedge").start(this::run);
  }

  void add(HedgedConnect connect) {
    pending.add(connect);
  }

  void remove(HedgedConnect connect) {
    pending.remove(connect);
  }

  private void run() {
    while (!closed) {
      long now = System.nanoTime();
      long sleep = delayNanos;
      for (HedgedConnect c : pending) {
        long due = c.startNanos + delayNanos - now;
        if (due <= 0) {
          pending.remove(c);
          try {
            c.start();
          } catch (RuntimeException | OutOfMemoryError e) {
            // no thread for the hedge: the connect goes on as without hedging
            LOG.warn("cannot start the hedge of a connect on rail {}", c.firstRail.name(), e);
          }
        } else {
          sleep = Math.min(sleep, due);
        }
      }
      LockSupport.parkNanos(this, sleep);
    }
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
  }
}
