package dev.sdpshim.bench;

import dev.sdpshim.conf.Action;
import java.net.InetAddress;

/**
 * Pre-built lookups, as parallel arrays so that a benchmark reads three array slots and builds
 * nothing. {@link #hit(int)} records whether the probe was built to hit a rule.
 */
public final class Probes {
  private final Action[] actions;
  private final InetAddress[] addresses;
  private final int[] ports;
  private final boolean[] hits;

  Probes(Action[] actions, InetAddress[] addresses, int[] ports, boolean[] hits) {
    this.actions = actions;
    this.addresses = addresses;
    this.ports = ports;
    this.hits = hits;
  }

  /** The number of probes, a power of two. */
  public int size() {
    return actions.length;
  }

  /** {@code size() - 1}: {@code i & mask()} cycles through the probes. */
  public int mask() {
    return actions.length - 1;
  }

  public Action action(int i) {
    return actions[i];
  }

  public InetAddress address(int i) {
    return addresses[i];
  }

  public int port(int i) {
    return ports[i];
  }

  /** Whether probe {@code i} was built to hit a rule (the others were checked to miss). */
  public boolean hit(int i) {
    return hits[i];
  }

  Action[] actions() {
    return actions;
  }

  InetAddress[] addresses() {
    return addresses;
  }

  int[] ports() {
    return ports;
  }
}
