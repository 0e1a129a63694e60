package dev.sdpshim.shim;

/** One {@link RailGroup}, {@code dev.sdpshim:type=RailGroup,name=GROUP}; see {@link RailStatistics}. */
public interface RailGroupMXBean {
  String getName();

  /** The {@link SdpShim} whose rules and protocol the group's sockets follow. */
  String getShim();

  /** round-robin, least-connections or sticky. */
  String getPolicy();

  long getConnectTimeoutMillis();

  long getProbeIntervalMillis();

  /** How long a connect may be pending on one rail before it is hedged on the next; 0 when off. */
  long getHedgeDelayMillis();

  int getRailCount();

  long getUnrailed();
}
