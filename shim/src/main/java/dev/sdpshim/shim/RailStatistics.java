package dev.sdpshim.shim;

import dev.sdpshim.conf.RailPolicy;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A snapshot of one {@link RailGroup}: its rails' health and counters. Each value is read
 * atomically, the set of them is not. The same values are MXBeans ({@link RailMXBean}).
 *
 * @param name the group's name ({@code default} for the one from system properties)
 * @param shim the name of the {@link SdpShim} whose rules and protocol its sockets follow
 * @param hedgeDelayMillis how long a connect may be pending on one rail before the same connect
 *     is started on the next healthy rail too; 0 when hedging is off
 * @param unrailed connects to addresses outside every rail's subnet, made without a rail
 * @param rails per rail, in configuration order
 */
public record RailStatistics(String name, String shim, RailPolicy policy, long connectTimeoutMillis,
    long probeIntervalMillis, long hedgeDelayMillis, long unrailed, List<RailCounts> rails) {

  public RailStatistics {
    rails = List.copyOf(rails);
  }

  /** A snapshot of a group without hedging (the form before hedges were counted). */
  public RailStatistics(String name, String shim, RailPolicy policy, long connectTimeoutMillis,
      long probeIntervalMillis, long unrailed, List<RailCounts> rails) {
    this(name, shim, policy, connectTimeoutMillis, probeIntervalMillis, 0, unrailed, rails);
  }

  /**
   * One rail.
   *
   * @param device the interface named in the configuration, or null
   * @param address the rail's local address and prefix length, e.g. {@code 192.168.10.1/24}
   * @param up whether new connections are placed on it
   * @param downReason why it is down; empty when up
   * @param open connections on this rail not yet closed
   * @param connects connections made on this rail
   * @param failovers connects that failed on this rail and succeeded on another
   * @param failbacks times the rail came back after being down
   * @param lastFailure when a connect on it last failed; null if never
   * @param lastFailureReason why, e.g. {@code connect timed out after 500 ms}; empty if never
   * @param hedges connects on this rail still pending after the hedge delay, which were then
   *     started on another rail too (the first to connect was kept)
   */
  public record RailCounts(String name, String device, String address, boolean up, String downReason, long open,
      long connects, long failovers, long failbacks, Instant lastFailure, String lastFailureReason, long hedges) {

    /** A rail without hedges (the form before hedges were counted). */
    public RailCounts(String name, String device, String address, boolean up, String downReason, long open,
        long connects, long failovers, long failbacks, Instant lastFailure, String lastFailureReason) {
      this(name, device, address, up, downReason, open, connects, failovers, failbacks, lastFailure,
          lastFailureReason, 0);
    }
  }

  /** The rail named {@code name}. */
  public RailCounts rail(String name) {
    return rails.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no rail named " + name));
  }
}
