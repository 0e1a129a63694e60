package dev.sdpshim.conf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The compiled matcher. Per action, rules with address {@code *} share one {@link PortTable}; the
 * others are grouped by family and prefix length, and each group is an open-addressing hash table
 * from network to a port table. A lookup masks the address once per prefix length in use and
 * probes: cost grows with the number of distinct prefix lengths (at most 33 for IPv4), not with the
 * number of rules. Groups are visited in order of their lowest rule index, so once a match is found
 * the groups that can only hold later rules are skipped.
 *
 * <p>A group is made of primitive arrays only: the slots hold the network key next to the offset of
 * its port table in one shared {@code int[]} ({@link PortTable#write}). A probe so touches two
 * cache lines, and a 100 000-rule matcher is a handful of large arrays instead of 100 000 small
 * objects behind a reference array (which G1 allocates as a humongous object and cannot reclaim
 * early, so that a discarded matcher kept its garbage alive through young collections).
 */
final class IndexedRuleMatcher implements RuleMatcher {
  private final Rule[] rules;
  private final ActionIndex[] byAction;

  private IndexedRuleMatcher(Rule[] rules, ActionIndex[] byAction) {
    this.rules = rules;
    this.byAction = byAction;
  }

  static IndexedRuleMatcher build(List<Rule> rules) {
    int actions = Action.values().length;
    // Pass 1: how many blocks of each action, family and prefix length, to size each table once.
    int[][] v4Count = new int[actions][33];
    int[][] v6Count = new int[actions][129];
    for (Rule rule : rules) {
      if (!rule.ports().neverMatches()) {
        int a = rule.action().ordinal();
        for (AddressBlock block : rule.address().blocks()) {
          (block.isIpv4() ? v4Count[a] : v6Count[a])[block.prefixLength()]++;
        }
      }
    }
    // Pass 2: every (block, rule) into its group, chained per network.
    PortTable.Builder[] any = new PortTable.Builder[actions];
    GroupBuilder[][] v4 = new GroupBuilder[actions][33];
    GroupBuilder[][] v6 = new GroupBuilder[actions][129];
    for (Rule rule : rules) {
      PortRange ports = rule.ports();
      if (ports.neverMatches()) {
        continue;
      }
      int a = rule.action().ordinal();
      if (rule.address().matchesAnyAddress()) {
        if (any[a] == null) {
          any[a] = new PortTable.Builder();
        }
        any[a].add(rule.index(), ports);
        continue;
      }
      int low = Math.max(ports.low(), 0);
      int high = Math.min(ports.high(), PortRange.MAX_PORT);
      for (AddressBlock block : rule.address().blocks()) {
        int length = block.prefixLength();
        byte[] b = block.networkBytes();
        if (block.isIpv4()) {
          if (v4[a][length] == null) {
            v4[a][length] = new GroupBuilder(length, v4Count[a][length], false);
          }
          v4[a][length].add(toInt(b), 0, rule.index(), low, high);
        } else {
          if (v6[a][length] == null) {
            v6[a][length] = new GroupBuilder(length, v6Count[a][length], true);
          }
          v6[a][length].add(toLong(b, 0), toLong(b, 8), rule.index(), low, high);
        }
      }
    }
    ActionIndex[] byAction = new ActionIndex[actions];
    for (int a = 0; a < actions; a++) {
      ActionIndex index = new ActionIndex();
      index.any = any[a] == null ? null : any[a].build();
      index.v4 = Arrays.stream(v4[a]).filter(g -> g != null).map(V4Group::new)
          .sorted(Comparator.comparingInt(g -> g.minIndex)).toArray(V4Group[]::new);
      index.v6 = Arrays.stream(v6[a]).filter(g -> g != null).map(V6Group::new)
          .sorted(Comparator.comparingInt(g -> g.minIndex)).toArray(V6Group[]::new);
      byAction[a] = index;
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
  }

  static int toInt(byte[] b) {
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  /** Table size: a power of two at least twice the entries, so probe chains stay short. */
  private static int capacity(int entries) {
    return Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  private static int mix(long hi, long lo) {
    return mix(hi * 31 + lo);
  }

  private static int mix(int key) {
    return mix((long) key);
  }

  /**
   * The blocks of one family and prefix length while they are collected: distinct networks in an
   * open-addressing table, each with the chain of its (rule, port range) entries, all in
   * primitive arrays. IPv4 keys use {@code hi} only.
   */
  private static final class GroupBuilder {
    final int length;
    final int mask;
    /** Longs per slot: the network (one long for IPv4, two for IPv6), then its chain's head. */
    final int stride;
    /**
     * Per slot, interleaved so that a probe reads one cache line: the network key, then the
     * first entry of its chain + 1, or 0 for an empty slot.
     */
    final long[] slots;
    final int[] ruleIndex;
    final int[] low;
    final int[] high;
    /** Per entry: the next entry of the same network + 1, or 0 at the end. */
    final int[] next;
    int entries;
    int networks;
    int minIndex = PortTable.NONE;

    GroupBuilder(int length, int expected, boolean ipv6) {
      this.length = length;
      int cap = IndexedRuleMatcher.capacity(expected);
      mask = cap - 1;
      stride = ipv6 ? 3 : 2;
      slots = new long[stride * cap];
      ruleIndex = new int[expected];
      low = new int[expected];
      high = new int[expected];
      next = new int[expected];
    }

    /** IPv4 keys hash like {@link V4Group#lookup}: {@code mix(int)}, and pass {@code lo = 0}. */
    void add(long hi, long lo, int index, int from, int to) {
      int slot = (stride == 2 ? mix((int) hi) : mix(hi, lo)) & mask;
      int head = stride - 1;
      while (slots[stride * slot + head] != 0
          && (slots[stride * slot] != hi || (stride == 3 && slots[stride * slot + 1] != lo))) {
        slot = (slot + 1) & mask;
      }
      int at = stride * slot;
      if (slots[at + head] == 0) {
        slots[at] = hi;
        if (stride == 3) {
          slots[at + 1] = lo;
        }
        networks++;
      }
      int e = entries++;
      ruleIndex[e] = index;
      low[e] = from;
      high[e] = to;
      // Prepending reverses file order within a network; the port sweep does not depend on order.
      next[e] = (int) slots[at + head];
      slots[at + head] = e + 1;
      minIndex = Math.min(minIndex, index);
    }

    int slotCount() {
      return mask + 1;
    }

    boolean occupied(int slot) {
      return slots[stride * slot + stride - 1] != 0;
    }

    long hi(int slot) {
      return slots[stride * slot];
    }

    long lo(int slot) {
      return stride == 3 ? slots[stride * slot + 1] : 0;
    }

    /** The only entry of the network in {@code slot}, or -1 when it has several. */
    int singleEntry(int slot) {
      int e = (int) slots[stride * slot + stride - 1] - 1;
      return next[e] == 0 ? e : -1;
    }

    /** Writes the port table of the network in {@code slot} to {@code out}; returns its offset. */
    int writeTable(int slot, IntArray out) {
      int e = (int) slots[stride * slot + stride - 1] - 1;
      if (next[e] == 0) {
        return PortTable.writeSingle(out, ruleIndex[e], low[e], high[e]);
      }
      PortTable.Builder b = new PortTable.Builder();
      for (; e >= 0; e = next[e] - 1) {
        b.add(ruleIndex[e], new PortRange(low[e], high[e]));
      }
      return b.build().write(out);
    }
  }

  /** A growable int[]. */
  static final class IntArray {
    int[] data;
    int size;

    IntArray(int capacity) {
      data = new int[Math.max(8, capacity)];
    }

    int reserve(int n) {
      if (size + n > data.length) {
        data = Arrays.copyOf(data, Math.max(size + n, data.length + (data.length >> 1)));
      }
      int at = size;
      size += n;
      return at;
    }

    int[] toArray() {
      return size == data.length ? data : Arrays.copyOf(data, size);
    }
  }

  /** IPv4 blocks of one prefix length. */
  private static final class V4Group {
    /** Ints per slot. */
    private static final int STRIDE = 4;
    final int mask;
    final int slotMask;
    /**
     * Per slot, interleaved in 16 bytes: the network; a reference (0: empty slot; n &gt; 0: port
     * table at {@code ports[n - 1]}; n &lt; 0: the network has a single range, for rule
     * {@code -n - 1}); then that single range's first and last port. A host rule, the common
     * case, is so answered from the one cache line the probe reads anyway.
     */
    final int[] slots;
    final int[] ports;
    final int minIndex;

    V4Group(GroupBuilder b) {
      mask = b.length == 0 ? 0 : -1 << (32 - b.length);
      int cap = capacity(b.networks);
      slotMask = cap - 1;
      slots = new int[STRIDE * cap];
      IntArray out = new IntArray(16);
      for (int s = 0; s < b.slotCount(); s++) {
        if (!b.occupied(s)) {
          continue;
        }
        int key = (int) b.hi(s);
        int slot = mix(key) & (cap - 1);
        while (slots[STRIDE * slot + 1] != 0) {
          slot = (slot + 1) & (cap - 1);
        }
        int at = STRIDE * slot;
        slots[at] = key;
        int e = b.singleEntry(s);
        if (e >= 0) {
          slots[at + 1] = -b.ruleIndex[e] - 1;
          slots[at + 2] = b.low[e];
          slots[at + 3] = b.high[e];
        } else {
          slots[at + 1] = b.writeTable(s, out) + 1;
        }
      }
      ports = out.toArray();
      minIndex = b.minIndex;
    }

    int lookup(int address, int port) {
      int key = address & mask;
      int m = slotMask;
      for (int slot = mix(key) & m; ; slot = (slot + 1) & m) {
        int at = STRIDE * slot;
        int ref = slots[at + 1];
        if (ref == 0) {
          return PortTable.NONE;
        }
        if (slots[at] == key) {
          if (ref < 0) {
            return port >= slots[at + 2] && port <= slots[at + 3] ? -ref - 1 : PortTable.NONE;
          }
          return PortTable.lookup(ports, ref - 1, port);
        }
      }
    }
  }

  /** IPv6 blocks of one prefix length. */
  private static final class V6Group {
    final long maskHi;
    final long maskLo;
    final int slotMask;
    /** Per slot, interleaved: high and low 64 bits of the network, then its table's offset + 1 (0: empty). */
    final long[] slots;
    final int[] ports;
    final int minIndex;

    V6Group(GroupBuilder b) {
      int length = b.length;
      maskHi = length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
      maskLo = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
      int cap = capacity(b.networks);
      slotMask = cap - 1;
      slots = new long[3 * cap];
      IntArray out = new IntArray(b.entries * PortTable.SINGLE_SIZE);
      for (int s = 0; s < b.slotCount(); s++) {
        if (!b.occupied(s)) {
          continue;
        }
        long hi = b.hi(s);
        long lo = b.lo(s);
        int slot = mix(hi, lo) & (cap - 1);
        while (slots[3 * slot + 2] != 0) {
          slot = (slot + 1) & (cap - 1);
        }
        slots[3 * slot] = hi;
        slots[3 * slot + 1] = lo;
        slots[3 * slot + 2] = b.writeTable(s, out) + 1L;
      }
      ports = out.toArray();
      minIndex = b.minIndex;
    }

    int lookup(long hi, long lo, int port) {
      long h = hi & maskHi;
      long l = lo & maskLo;
      int m = slotMask;
      for (int slot = mix(h, l) & m; ; slot = (slot + 1) & m) {
        long table = slots[3 * slot + 2];
        if (table == 0) {
          return PortTable.NONE;
        }
        if (slots[3 * slot] == h && slots[3 * slot + 1] == l) {
          return PortTable.lookup(ports, (int) table - 1, port);
        }
      }
    }
  }
}
