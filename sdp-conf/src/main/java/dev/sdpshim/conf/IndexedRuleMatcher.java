package dev.sdpshim.conf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The compiled matcher. Per action, rules with address {@code *} share one {@link PortTable}; the
 * others are grouped by family and prefix length, and each group is an open-addressing hash table
 * from network to PortTable. A lookup masks the address once per prefix length in use and probes:
 * cost grows with the number of distinct prefix lengths (at most 33 for IPv4), not with the number
 * of rules. Groups are visited in order of their lowest rule index, so once a match is found the
 * groups that can only hold later rules are skipped.
 */
final class IndexedRuleMatcher implements RuleMatcher {
  private final Rule[] rules;
  private final ActionIndex[] byAction;

  private IndexedRuleMatcher(Rule[] rules, ActionIndex[] byAction) {
    this.rules = rules;
    this.byAction = byAction;
  }

  static IndexedRuleMatcher build(List<Rule> rules) {
    ActionIndex[] byAction = new ActionIndex[Action.values().length];
    for (Action action : Action.values()) {
      byAction[action.ordinal()] = ActionIndex.build(rules, action);
    }
    return new IndexedRuleMatcher(rules.toArray(new Rule[0]), byAction);
  }

  @Override
  public Rule firstMatch(Action action, InetAddress address, int port) {
    RuleMatcher.checkPort(port);
    ActionIndex index = byAction[action.ordinal()];
    int best = index.any == null ? PortTable.NONE : index.any.lookup(port);
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int a = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
      for (V4Group g : index.v4) {
        if (g.minIndex >= best) {
          break;
        }
        best = Math.min(best, g.lookup(a, port));
      }
    } else {
      long hi = toLong(bytes, 0);
      long lo = toLong(bytes, 8);
      for (V6Group g : index.v6) {
        if (g.minIndex >= best) {
          break;
        }
        best = Math.min(best, g.lookup(hi, lo, port));
      }
    }
    return best == PortTable.NONE ? null : rules[best];
  }

  @Override
  public int ruleCount() {
    return rules.length;
  }

  static long toLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[off + i] & 0xffL);
    }
    return v;
  }

  private static final class ActionIndex {
    PortTable any;
    V4Group[] v4;
    V6Group[] v6;

    static ActionIndex build(List<Rule> rules, Action action) {
      PortTable.Builder any = new PortTable.Builder();
      // prefix length -> network -> ports; LinkedHashMap keeps file order for reproducible tables.
      Map<Integer, Map<AddressBlock, PortTable.Builder>> v4 = new TreeMap<>();
      Map<Integer, Map<AddressBlock, PortTable.Builder>> v6 = new TreeMap<>();
      for (Rule rule : rules) {
        if (rule.action() != action || rule.ports().neverMatches()) {
          continue;
        }
        if (rule.address().matchesAnyAddress()) {
          any.add(rule.index(), rule.ports());
          continue;
        }
        for (AddressBlock block : rule.address().blocks()) {
          (block.isIpv4() ? v4 : v6).computeIfAbsent(block.prefixLength(), k -> new LinkedHashMap<>())
              .computeIfAbsent(block, k -> new PortTable.Builder()).add(rule.index(), rule.ports());
        }
      }
      ActionIndex index = new ActionIndex();
      index.any = any.isEmpty() ? null : any.build();
      List<V4Group> g4 = new ArrayList<>();
      v4.forEach((length, nets) -> g4.add(new V4Group(length, nets)));
      g4.sort(Comparator.comparingInt(g -> g.minIndex));
      index.v4 = g4.toArray(new V4Group[0]);
      List<V6Group> g6 = new ArrayList<>();
      v6.forEach((length, nets) -> g6.add(new V6Group(length, nets)));
      g6.sort(Comparator.comparingInt(g -> g.minIndex));
      index.v6 = g6.toArray(new V6Group[0]);
      return index;
    }
  }

  /** Table size: a power of two at least twice the entries, so probe chains stay short. */
  private static int capacity(int entries) {
    return Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** IPv4 blocks of one prefix length. */
  private static final class V4Group {
    final int mask;
    final int[] keys;
    final PortTable[] tables;
    final int minIndex;

    V4Group(int length, Map<AddressBlock, PortTable.Builder> nets) {
      mask = length == 0 ? 0 : -1 << (32 - length);
      int cap = capacity(nets.size());
      keys = new int[cap];
      tables = new PortTable[cap];
      int min = PortTable.NONE;
      for (Map.Entry<AddressBlock, PortTable.Builder> e : nets.entrySet()) {
        byte[] b = e.getKey().networkBytes();
        int key = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        PortTable table = e.getValue().build();
        int slot = mix(key) & (cap - 1);
        while (tables[slot] != null) {
          slot = (slot + 1) & (cap - 1);
        }
        keys[slot] = key;
        tables[slot] = table;
        min = Math.min(min, table.minIndex);
      }
      minIndex = min;
    }

    int lookup(int address, int port) {
      int key = address & mask;
      int m = tables.length - 1;
      for (int slot = mix(key) & m; tables[slot] != null; slot = (slot + 1) & m) {
        if (keys[slot] == key) {
          return tables[slot].lookup(port);
        }
      }
      return PortTable.NONE;
    }
  }

  /** IPv6 blocks of one prefix length. */
  private static final class V6Group {
    final long maskHi;
    final long maskLo;
    final long[] his;
    final long[] los;
    final PortTable[] tables;
    final int minIndex;

    V6Group(int length, Map<AddressBlock, PortTable.Builder> nets) {
      maskHi = length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
      maskLo = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
      int cap = capacity(nets.size());
      his = new long[cap];
      los = new long[cap];
      tables = new PortTable[cap];
      int min = PortTable.NONE;
      for (Map.Entry<AddressBlock, PortTable.Builder> e : nets.entrySet()) {
        byte[] b = e.getKey().networkBytes();
        long hi = toLong(b, 0);
        long lo = toLong(b, 8);
        PortTable table = e.getValue().build();
        int slot = mix(hi * 31 + lo) & (cap - 1);
        while (tables[slot] != null) {
          slot = (slot + 1) & (cap - 1);
        }
        his[slot] = hi;
        los[slot] = lo;
        tables[slot] = table;
        min = Math.min(min, table.minIndex);
      }
      minIndex = min;
    }

    int lookup(long hi, long lo, int port) {
      long h = hi & maskHi;
      long l = lo & maskLo;
      int m = tables.length - 1;
      for (int slot = mix(h * 31 + l) & m; tables[slot] != null; slot = (slot + 1) & m) {
        if (his[slot] == h && los[slot] == l) {
          return tables[slot].lookup(port);
        }
      }
      return PortTable.NONE;
    }
  }
}
