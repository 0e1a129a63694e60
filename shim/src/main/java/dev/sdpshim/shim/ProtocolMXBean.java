package dev.sdpshim.shim;

/** One protocol's counts; see {@link ShimStatistics.ProtocolCounts} and {@link ShimMXBean}. */
public interface ProtocolMXBean {
  /** SDP, MPTCP or TCP. */
  String getProtocol();

  long getOpen();

  long getTotal();
}
