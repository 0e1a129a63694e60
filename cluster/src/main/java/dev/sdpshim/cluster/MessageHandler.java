package dev.sdpshim.cluster;

/** Receives the messages sent to a {@link ClusterMember}, in order per sender. */
@FunctionalInterface
public interface MessageHandler {
  /** Called on a JGroups thread, one message at a time per sender. */
  void received(Member from, byte[] payload);
}
