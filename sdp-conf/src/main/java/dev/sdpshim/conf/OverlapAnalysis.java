package dev.sdpshim.conf;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Finds rules that add nothing: exact duplicates of an earlier rule (SDP103) and rules whose every
 * address and port an earlier rule of the same action already converts (SDP104). Since any match
 * converts, such a rule is dead weight and usually a sign of a typo in a neighbour.
 *
 * <p>Earlier rules are indexed by prefix length and network, so each block costs one hash lookup
 * per prefix length in use rather than a scan of all earlier rules; within one network at most
 * {@link #CANDIDATES_PER_NETWORK} rules are compared, which keeps hostile files linear.
 */
final class OverlapAnalysis {
  static final int CANDIDATES_PER_NETWORK = 64;

  private record Key(Action action, Set<AddressBlock> blocks, boolean any, int low, int high) {}

  private static final class Index {
    final List<Rule> anyAddress = new ArrayList<>();
    final ShardedMap<AddressBlock, List<Rule>> byNetwork;
    /** Prefix lengths in use, per family: {@code v4Lengths[n]} when some IPv4 block is /n. */
    final boolean[] v4Lengths = new boolean[33];
    final boolean[] v6Lengths = new boolean[129];

    Index(int expectedBlocks) {
      byNetwork = new ShardedMap<>(expectedBlocks);
    }
  }

  private OverlapAnalysis() {}

  static void run(List<Rule> rules, Consumer<Diagnostic> sink) {
    ShardedMap<Key, Rule> seen = new ShardedMap<>(rules.size());
    int[] perAction = new int[Action.values().length];
    for (Rule rule : rules) {
      perAction[rule.action().ordinal()]++;
    }
    Map<Action, Index> indexes = new EnumMap<>(Action.class);
    for (Action a : Action.values()) {
      indexes.put(a, new Index(perAction[a.ordinal()]));
    }
    for (Rule rule : rules) {
      if (rule.ports().neverMatches() || !rule.address().isResolved()) {
        continue;
      }
      Index index = indexes.get(rule.action());
      Key key = keyOf(rule);
      Rule twin = seen.putIfAbsent(key, rule);
      if (twin != null) {
        sink.accept(diagnostic(Code.SDP103, rule, "duplicate of line " + twin.position().line() + " ('"
            + twin.canonicalText() + "'); remove one"));
      } else {
        Set<Integer> coverers = coverers(index, rule);
        if (coverers != null) {
          sink.accept(diagnostic(Code.SDP104, rule, "every address and port of this rule is already converted by line"
              + (coverers.size() > 1 ? "s " : " ") + join(coverers) + ", so it changes nothing; remove it or fix the earlier rule"));
        }
      }
      add(index, rule);
    }
  }

  private static Key keyOf(Rule rule) {
    int lo = Math.max(rule.ports().low(), 0);
    int hi = Math.min(rule.ports().high(), PortRange.MAX_PORT);
    List<AddressBlock> blocks = rule.address().blocks();
    Set<AddressBlock> set = blocks.size() == 1 ? Set.of(blocks.get(0)) : new HashSet<>(blocks);
    return new Key(rule.action(), set, rule.address().matchesAnyAddress(), lo, hi);
  }

  /** The lines of earlier rules that together cover {@code rule}, or null when something is left. */
  private static Set<Integer> coverers(Index index, Rule rule) {
    Rule any = coveringAmong(index.anyAddress, rule);
    if (any != null) {
      Set<Integer> lines = new TreeSet<>();
      lines.add(any.position().line());
      return lines;
    }
    List<AddressBlock> blocks = rule.address().blocks();
    if (rule.address().matchesAnyAddress() || blocks.isEmpty()) {
      return null;
    }
    Set<Integer> lines = null;
    for (AddressBlock block : blocks) {
      Rule cover = coveringBlock(index, block, rule);
      if (cover == null) {
        return null;
      }
      if (lines == null) {
        lines = new TreeSet<>();
      }
      lines.add(cover.position().line());
    }
    return lines;
  }

  /** Shortest prefix first: the first earlier rule whose network holds {@code block} and whose ports cover. */
  private static Rule coveringBlock(Index index, AddressBlock block, Rule rule) {
    boolean[] lengths = block.isIpv4() ? index.v4Lengths : index.v6Lengths;
    for (int length = 0; length <= block.prefixLength(); length++) {
      if (!lengths[length]) {
        continue;
      }
      List<Rule> candidates = index.byNetwork.get(block.truncate(length));
      Rule cover = candidates == null ? null : coveringAmong(candidates, rule);
      if (cover != null) {
        return cover;
      }
    }
    return null;
  }

  private static Rule coveringAmong(List<Rule> candidates, Rule rule) {
    for (int i = 0; i < Math.min(candidates.size(), CANDIDATES_PER_NETWORK); i++) {
      Rule c = candidates.get(i);
      if (c.ports().covers(rule.ports())) {
        return c;
      }
    }
    return null;
  }

  private static void add(Index index, Rule rule) {
    if (rule.address().matchesAnyAddress()) {
      index.anyAddress.add(rule);
      return;
    }
    for (AddressBlock block : rule.address().blocks()) {
      index.byNetwork.computeIfAbsent(block, b -> new ArrayList<>(1)).add(rule);
      (block.isIpv4() ? index.v4Lengths : index.v6Lengths)[block.prefixLength()] = true;
    }
  }

  private static String join(Set<Integer> lines) {
    StringBuilder sb = new StringBuilder();
    for (int line : lines) {
      sb.append(sb.length() == 0 ? "" : ", ").append(line);
    }
    return sb.toString();
  }

  private static Diagnostic diagnostic(Code code, Rule rule, String message) {
    SourcePosition p = rule.position();
    return new Diagnostic(code, p, message, false, "");
  }
}
