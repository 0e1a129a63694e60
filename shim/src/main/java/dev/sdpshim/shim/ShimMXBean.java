package dev.sdpshim.shim;

/**
 * One {@link SdpShim} instance, registered as {@code dev.sdpshim:type=Shim,name=NAME} on the
 * platform MBean server (the instance configured from system properties is {@code name=default}).
 * Its rules are {@code dev.sdpshim:type=Rule,shim=NAME,line=N} ({@link RuleMXBean}) and its
 * protocols {@code dev.sdpshim:type=Protocol,shim=NAME,name=MPTCP} ({@link ProtocolMXBean}).
 * Read them with jconsole, or {@code jcmd PID VM.mbeans}-style tools. The values are those of
 * {@link SdpShim#statistics()}.
 */
public interface ShimMXBean {
  String getName();

  /** SDP, MPTCP or TCP. */
  String getProtocol();

  /** TCP or FAIL. */
  String getFallback();

  /** The rules file, or an empty string when the instance has no rules. */
  String getConfigSource();

  int getRuleCount();

  long getBindChecks();

  long getConnectChecks();

  long getNoMatch();
}
