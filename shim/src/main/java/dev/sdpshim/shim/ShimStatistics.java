package dev.sdpshim.shim;

import dev.sdpshim.conf.Action;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A snapshot of one {@link SdpShim}'s counters. Each counter is read atomically, the set of them
 * is not: while sockets are being made, two counters read together may disagree by the sockets
 * in flight. The same numbers are exposed as MXBeans (see {@link ShimMXBean}).
 *
 * @param name the instance's name ({@code default} for the one configured from system properties)
 * @param protocol the target protocol
 * @param fallback the fallback policy
 * @param bindChecks binds judged against the bind rules
 * @param connectChecks connects of unbound sockets judged against the connect rules
 * @param noMatch checks that matched no rule
 * @param rules per rule, in file order
 * @param protocols per protocol the matched sockets ended up with: the target for conversions;
 *     {@link Protocol#TCP} for sockets that fell back or were matched in a dry run
 */
public record ShimStatistics(String name, Protocol protocol, Fallback fallback, long bindChecks,
    long connectChecks, long noMatch, List<RuleCounts> rules, Map<Protocol, ProtocolCounts> protocols) {

  public ShimStatistics {
    rules = List.copyOf(rules);
    protocols = Map.copyOf(protocols);
  }

  /**
   * One rule's counters. {@code matched} counts every socket the rule was the first match for;
   * each then was {@code converted}, {@code fellBack} (stayed TCP under {@link Fallback#TCP}),
   * {@code failed} (its bind/connect failed under {@link Fallback#FAIL}), or none of these in a
   * dry run ({@link Protocol#TCP}) or when it already was of the target protocol.
   *
   * @param line the rule's line in its file
   * @param rule the rule as written, e.g. {@code connect 192.168.0.0/24 1024-*}
   */
  public record RuleCounts(int line, String rule, Action action, long matched, long converted,
      long fellBack, long failed) {
  }

  /**
   * @param open sockets of this protocol the shim made (or left TCP after a match) that are still
   *     open; accepted sockets are not counted (they are never judged, they follow their listener)
   * @param total all such sockets since the instance was created
   */
  public record ProtocolCounts(Protocol protocol, long open, long total) {
  }

  /** The counters of the rule on {@code line}. */
  public RuleCounts rule(int line) {
    return rules.stream().filter(r -> r.line() == line).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no rule on line " + line));
  }
}
