package dev.sdpshim.conf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * For the rules that share one address block: the ports 0..65535 cut into segments, each labelled
 * with the lowest rule index covering it. A lookup is one binary search.
 */
final class PortTable {
  static final int NONE = Integer.MAX_VALUE;

  /** First port of each segment, ascending; segment i runs up to starts[i + 1] - 1. */
  private final int[] starts;
  /** Lowest rule index covering each segment, or NONE. */
  private final int[] winners;
  /** Lowest rule index anywhere in the table: no lookup can answer less. */
  final int minIndex;

  private PortTable(int[] starts, int[] winners, int minIndex) {
    this.starts = starts;
    this.winners = winners;
    this.minIndex = minIndex;
  }

  int lookup(int port) {
    int i = Arrays.binarySearch(starts, port);
    if (i < 0) {
      i = -i - 2;
    }
    return i < 0 ? NONE : winners[i];
  }

  /** A range of ports claimed by a rule, already clamped to 0..65535. */
  record Entry(int index, int low, int high) {}

  static final class Builder {
    private final List<Entry> entries = new ArrayList<>(1);

    void add(int index, PortRange ports) {
      if (!ports.neverMatches()) {
        entries.add(new Entry(index, Math.max(ports.low(), 0), Math.min(ports.high(), PortRange.MAX_PORT)));
      }
    }

    boolean isEmpty() {
      return entries.isEmpty();
    }

    /** Sweeps the breakpoints in order, keeping the covering rules in a heap by index. */
    PortTable build() {
      if (entries.size() == 1) {
        // The common case, one rule for the network: what the sweep below gives, without its heap.
        Entry e = entries.get(0);
        return new PortTable(new int[] {e.low(), e.high() + 1}, new int[] {e.index(), NONE}, e.index());
      }
      TreeSet<Integer> cuts = new TreeSet<>();
      for (Entry e : entries) {
        cuts.add(e.low());
        cuts.add(e.high() + 1);
      }
      entries.sort(Comparator.comparingInt(Entry::low));
      PriorityQueue<Entry> active = new PriorityQueue<>(Comparator.comparingInt(Entry::index));
      int next = 0;
      int[] starts = new int[cuts.size()];
      int[] winners = new int[cuts.size()];
      int n = 0;
      int min = NONE;
      for (int cut : cuts) {
        while (next < entries.size() && entries.get(next).low() <= cut) {
          active.add(entries.get(next++));
        }
        while (!active.isEmpty() && active.peek().high() < cut) {
          active.poll();
        }
        int winner = active.isEmpty() ? NONE : active.peek().index();
        if (n == 0 || winners[n - 1] != winner) {
          starts[n] = cut;
          winners[n] = winner;
          n++;
        }
        min = Math.min(min, winner);
      }
      return new PortTable(Arrays.copyOf(starts, n), Arrays.copyOf(winners, n), min);
    }
  }
}
