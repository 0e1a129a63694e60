package dev.sdpshim.shim;

/** One rule's counters; see {@link ShimStatistics.RuleCounts} and {@link ShimMXBean}. */
public interface RuleMXBean {
  int getLine();

  /** The rule as written, e.g. {@code connect 192.168.0.0/24 1024-*}. */
  String getRule();

  /** bind or connect. */
  String getAction();

  long getMatched();

  long getConverted();

  long getFellBack();

  long getFailed();
}
