package dev.sdpshim.shim;

import dev.sdpshim.conf.Action;
import dev.sdpshim.conf.Rule;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one shim instance. Thread-safe without locks. Per-rule counters share one
 * AtomicLongArray (four longs a rule, so a file of 100 000 rules costs 3 MB, not 400 000
 * objects); they change only when a socket is bound or connected, which costs system calls
 * anyway, so contention on them is not a concern.
 */
final class Statistics {
  private static final int MATCHED = 0;
  private static final int CONVERTED = 1;
  private static final int FELL_BACK = 2;
  private static final int FAILED = 3;
  private static final int PER_RULE = 4;

  private final List<Rule> rules;
  private final AtomicLongArray ruleCounts;
  private final LongAdder bindChecks = new LongAdder();
  private final LongAdder connectChecks = new LongAdder();
  private final LongAdder noMatch = new LongAdder();
  private final Map<Protocol, LongAdder> totals = new EnumMap<>(Protocol.class);
  private final Map<Protocol, OpenSockets> open = new EnumMap<>(Protocol.class);

  Statistics(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    this.ruleCounts = new AtomicLongArray(PER_RULE * rules.size());
    for (Protocol p : Protocol.values()) {
      totals.put(p, new LongAdder());
      open.put(p, new OpenSockets());
    }
  }

  List<Rule> rules() {
    return rules;
  }

  void checked(Action action) {
    (action == Action.BIND ? bindChecks : connectChecks).increment();
  }

  void noMatch() {
    noMatch.increment();
  }

  void matched(Rule rule) {
    add(rule, MATCHED);
  }

  void converted(Rule rule, Protocol protocol, Object owner) {
    add(rule, CONVERTED);
    socket(protocol, owner);
  }

  void fellBack(Rule rule, Object owner) {
    add(rule, FELL_BACK);
    socket(Protocol.TCP, owner);
  }

  void dryRun(Object owner) {
    socket(Protocol.TCP, owner);
  }

  void failed(Rule rule) {
    add(rule, FAILED);
  }

  long bindChecks() {
    return bindChecks.sum();
  }

  long connectChecks() {
    return connectChecks.sum();
  }

  long noMatchCount() {
    return noMatch.sum();
  }

  ShimStatistics.RuleCounts ruleCounts(int index) {
    Rule rule = rules.get(index);
    return new ShimStatistics.RuleCounts(rule.position().line(), ConfigText.ruleText(rule),
        rule.action(), get(index, MATCHED), get(index, CONVERTED), get(index, FELL_BACK),
        get(index, FAILED));
  }

  ShimStatistics.ProtocolCounts protocolCounts(Protocol protocol) {
    return new ShimStatistics.ProtocolCounts(protocol, open.get(protocol).count(),
        totals.get(protocol).sum());
  }

  ShimStatistics snapshot(String name, Protocol protocol, Fallback fallback) {
    List<ShimStatistics.RuleCounts> perRule = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      perRule.add(ruleCounts(i));
    }
    Map<Protocol, ShimStatistics.ProtocolCounts> perProtocol = new EnumMap<>(Protocol.class);
    for (Protocol p : Protocol.values()) {
      perProtocol.put(p, protocolCounts(p));
    }
    return new ShimStatistics(name, protocol, fallback, bindChecks(), connectChecks(),
        noMatchCount(), perRule, perProtocol);
  }

  private void socket(Protocol protocol, Object owner) {
    totals.get(protocol).increment();
    if (owner != null) {
      open.get(protocol).add(owner);
    }
  }

  private void add(Rule rule, int counter) {
    ruleCounts.incrementAndGet(PER_RULE * rule.index() + counter);
  }

  private long get(int index, int counter) {
    return ruleCounts.get(PER_RULE * index + counter);
  }
}
