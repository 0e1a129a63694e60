package dev.sdpshim.shim;

/**
 * One rail of a {@link RailGroup}, registered as {@code dev.sdpshim:type=Rail,group=GROUP,name=RAIL};
 * the values of {@link RailStatistics.RailCounts}. The group itself is
 * {@code dev.sdpshim:type=RailGroup,name=GROUP} ({@link RailGroupMXBean}).
 */
public interface RailMXBean {
  String getName();

  /** The interface named in the configuration, or an empty string. */
  String getDevice();

  /** Local address and prefix length, e.g. {@code 192.168.10.1/24}. */
  String getAddress();

  boolean isUp();

  /** Why the rail is down; empty when it is up. */
  String getDownReason();

  long getOpen();

  long getConnects();

  long getFailovers();

  long getFailbacks();

  /** Connects on this rail still pending after the hedge delay, so also started on another rail. */
  long getHedges();

  /** ISO-8601 instant of the last failed connect on this rail, or an empty string. */
  String getLastFailure();

  String getLastFailureReason();
}
