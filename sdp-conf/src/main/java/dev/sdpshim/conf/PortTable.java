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

  /*
   * The flat form, for tables stored by the thousand in one int[]: at offset o, the segment count
   * n, then the n starts, then the n winners.
   */

  /** The size of the flat form of a single range's table. */
  static final int SINGLE_SIZE = 5;

  /** Appends this table's flat form to {@code out}; returns its offset. */
  int write(IndexedRuleMatcher.IntArray out) {
    int n = starts.length;
    int at = out.reserve(2 * n + 1);
    out.data[at] = n;
    System.arraycopy(starts, 0, out.data, at + 1, n);
    System.arraycopy(winners, 0, out.data, at + 1 + n, n);
    return at;
  }

  /** Appends the flat form of the table of one range, {@code low..high} in 0..65535 for rule {@code index}. */
  static int writeSingle(IndexedRuleMatcher.IntArray out, int index, int low, int high) {
    // What Builder.build() gives for one entry: the range, then nothing from high + 1 on.
    int at = out.reserve(SINGLE_SIZE);
    int[] d = out.data;
    d[at] = 2;
    d[at + 1] = low;
    d[at + 2] = high + 1;
    d[at + 3] = index;
    d[at + 4] = NONE;
    return at;
  }

  /** {@link #lookup(int)} on the flat form at {@code offset} of {@code data}. */
  static int lookup(int[] data, int offset, int port) {
    int n = data[offset];
    int lo = offset + 1;
    if (port < data[lo]) {
      return NONE;
    }
    int hi = offset + n;
    // The last start <= port.
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (data[mid] <= port) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return data[lo + n];
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
