package dev.sdpshim.cluster;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tests' model of the network between members: each member (by name) hangs off a switch;
 * links between switches, and single directed links between two members, can be cut and
 * restored. {@link FAULTS} asks it, in each member's stack, whether a message gets through.
 */
final class Network {
  private final Map<String, String> switchOf = new ConcurrentHashMap<>();
  private final Set<String> cutSwitchLinks = ConcurrentHashMap.newKeySet();
  private final Set<String> cutMemberLinks = ConcurrentHashMap.newKeySet();
  private volatile boolean dropPanicAcks;

  /** Losers' acknowledgements of a panic are lost (the winner then holds joins until its timeout). */
  void dropPanicAcks(boolean drop) {
    dropPanicAcks = drop;
  }

  boolean dropsPanicAcks() {
    return dropPanicAcks;
  }

  /** Puts {@code member} on {@code switchName}. */
  Network attach(String member, String switchName) {
    switchOf.put(member, switchName);
    return this;
  }

  /** Cuts the link between two switches (both directions). */
  void cut(String switchA, String switchB) {
    cutSwitchLinks.add(key(switchA, switchB));
    cutSwitchLinks.add(key(switchB, switchA));
  }

  void restore(String switchA, String switchB) {
    cutSwitchLinks.remove(key(switchA, switchB));
    cutSwitchLinks.remove(key(switchB, switchA));
  }

  /** {@code to} no longer receives anything from {@code from} (one direction only). */
  void cutDirected(String from, String to) {
    cutMemberLinks.add(key(from, to));
  }

  void restoreDirected(String from, String to) {
    cutMemberLinks.remove(key(from, to));
  }

  void restoreAll() {
    cutSwitchLinks.clear();
    cutMemberLinks.clear();
  }

  boolean delivers(String from, String to) {
    if (from.equals(to)) {
      return true;
    }
    if (cutMemberLinks.contains(key(from, to))) {
      return false;
    }
    String a = switchOf.get(from);
    String b = switchOf.get(to);
    return a == null || b == null || a.equals(b) || !cutSwitchLinks.contains(key(a, b));
  }

  private static String key(String from, String to) {
    return from + "\u0000" + to;
  }
}
