package dev.sdpshim.conf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Answers "does this bind or connect go over SDP, and by which rule?". Any matching rule converts,
 * as in the JDK; the answer names the first matching rule in file order so that a decision can be
 * attributed. Implementations are immutable and thread-safe.
 */
public interface RuleMatcher {

  /**
   * The first rule in file order that matches, or null when none does.
   *
   * @param port 0..65535 (the JDK only ever asks with ports in that range)
   * @throws IllegalArgumentException when {@code port} is outside 0..65535
   */
  Rule firstMatch(Action action, InetAddress address, int port);

  default Rule firstMatch(Action action, InetSocketAddress address) {
    return firstMatch(action, address.getAddress(), address.getPort());
  }

  default boolean matches(Action action, InetAddress address, int port) {
    return firstMatch(action, address, port) != null;
  }

  /** The number of rules the matcher was built from. */
  int ruleCount();

  /**
   * Indexes the rules by action, family, prefix length and port so that a lookup costs a few hash
   * probes however many rules there are.
   */
  static RuleMatcher compile(List<Rule> rules) {
    return IndexedRuleMatcher.build(rules);
  }

  /**
   * The reference semantics: every rule checked in file order. Slow on large files; it exists for
   * tests and benchmarks to compare the compiled matcher against.
   */
  static RuleMatcher linearScan(List<Rule> rules) {
    return new LinearRuleMatcher(rules);
  }

  static void checkPort(int port) {
    if (port < 0 || port > PortRange.MAX_PORT) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }
}
