package dev.sdpshim.shim;

import dev.sdpshim.conf.RailsConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One rail of a running {@link RailGroup}: its configuration, whether it is healthy, and its
 * counters. Health changes by compare-and-set, so that of many connects failing on a rail at once
 * exactly one marks it down (and logs it), and of a probe and a connect both finding it back,
 * exactly one counts the failback.
 */
final class Rail {
  /**
   * Health at one moment.
   *
   * @param up whether new connections may be placed on the rail
   * @param reason why it is down; null when up
   * @param probeTarget the peer address on this rail a probe connects to; null when down without
   *     a failed connect (its interface went down), then the interface coming back is enough
   */
  record Health(boolean up, String reason, long sinceNanos, InetSocketAddress probeTarget) {
    static final Health UP = new Health(true, null, 0, null);
  }

  /** A failure as shown in statistics. */
  record Failure(Instant at, String reason) {}

  final int index;
  final RailsConfig.Rail config;
  final InetSocketAddress bindAddress;
  private final AtomicReference<Health> health = new AtomicReference<>(Health.UP);
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder connects = new LongAdder();
  private final LongAdder failovers = new LongAdder();
  private final LongAdder failbacks = new LongAdder();
  private final LongAdder hedges = new LongAdder();
  private volatile Failure lastFailure;

  Rail(int index, RailsConfig.Rail config) {
    this.index = index;
    this.config = config;
    this.bindAddress = new InetSocketAddress(config.address(), 0);
  }

  String name() {
    return config.name();
  }

  Health health() {
    return health.get();
  }

  boolean isUp() {
    return health.get().up();
  }

  /** Marks the rail down; true if it was up (the caller then logs it). */
  boolean markDown(String reason, InetSocketAddress probeTarget) {
    Health now = health.get();
    if (!now.up()) {
      if (probeTarget != null && now.probeTarget() == null) {
        health.compareAndSet(now, new Health(false, now.reason(), now.sinceNanos(), probeTarget));
      }
      return false;
    }
    return health.compareAndSet(now, new Health(false, reason, System.nanoTime(), probeTarget));
  }

  /** Marks the rail up again; the health it was in if this call brought it back, else null. */
  Health markUp() {
    Health now = health.get();
    if (now.up() || !health.compareAndSet(now, Health.UP)) {
      return null;
    }
    failbacks.increment();
    return now;
  }

  /**
   * Why the rail's interface cannot carry traffic now, or null when it can (or cannot be told).
   * {@link NetworkInterface#isUp()} is true only when the link is administratively up and running
   * (has carrier), which is what a port whose cable or switch died lacks. Asked by the prober,
   * never per connect: it costs a netlink round trip.
   */
  String interfaceProblem() {
    try {
      if (config.device() != null) {
        NetworkInterface ni = NetworkInterface.getByName(config.device());
        if (ni == null) {
          return "interface " + config.device() + " is gone";
        }
        return ni.isUp() ? null : "interface " + config.device() + " is down";
      }
      NetworkInterface ni = NetworkInterface.getByInetAddress(config.address());
      if (ni == null && config.address().isLoopbackAddress()) {
        // 127.0.0.2 and the rest of 127/8 are bound through lo's route without being its address
        ni = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
      }
      if (ni == null) {
        return "no interface has " + config.address().getHostAddress();
      }
      return ni.isUp() ? null : "interface " + ni.getName() + " is down";
    } catch (SocketException e) {
      return null; // cannot tell: connects will find out
    }
  }

  void connected() {
    connects.increment();
    open.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }

  /** A connect on this rail was still pending after the hedge delay: it was started elsewhere too. */
  void hedged() {
    hedges.increment();
  }

  void failedOver(String reason) {
    failovers.increment();
    failed(reason);
  }

  void failed(String reason) {
    lastFailure = new Failure(Instant.now(), reason);
  }

  RailStatistics.RailCounts counts() {
    Health h = health.get();
    Failure f = lastFailure;
    return new RailStatistics.RailCounts(name(), config.device(), config.address().getHostAddress() + "/"
        + config.subnet().prefixLength(), h.up(), h.up() ? "" : h.reason(), open.get(), connects.sum(),
        failovers.sum(), failbacks.sum(), f == null ? null : f.at(), f == null ? "" : f.reason(), hedges.sum());
  }

  @Override
  public String toString() {
    return config.describe();
  }
}
