package dev.sdpshim.shim;

import dev.sdpshim.conf.RailPolicy;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The order in which a new connection tries the rails, by the group's {@link RailPolicy}: the
 * healthy rails first, in the policy's order, then the rails marked down, in case a mark is stale
 * (a connect that succeeds on one of them brings it back). Thread-safe.
 */
final class RailChooser {
  /** Sticky assignments kept at most; beyond it, new peers are placed without being remembered. */
  static final int MAX_STICKY_PEERS = 65_536;

  private final RailPolicy policy;
  private final List<Rail> rails;
  private final AtomicInteger next = new AtomicInteger();
  /** Sticky: a peer (its address on the first rail) to the rail its last connection used. */
  private final Map<InetAddress, Integer> sticky = new ConcurrentHashMap<>();

  RailChooser(RailPolicy policy, List<Rail> rails) {
    this.policy = policy;
    this.rails = rails;
  }

  /** Rail indexes to try for a connection to {@code peer}, each once. */
  int[] order(InetAddress peer) {
    int n = rails.size();
    int[] order = new int[n];
    int count = 0;
    int first = first(peer);
    if (first >= 0) {
      order[count++] = first;
    }
    int start = first >= 0 ? first : Math.floorMod(next.getAndIncrement(), n);
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      if (i != first && rails.get(i).isUp()) {
        order[count++] = i;
      }
    }
    for (int i = 0; i < n; i++) {
      if (!rails.get(i).isUp()) {
        order[count++] = i;
      }
    }
    return order;
  }

  /** Records that a connection to {@code peer} was made on rail {@code index}. */
  void connected(InetAddress peer, int index) {
    if (policy == RailPolicy.STICKY && (sticky.size() < MAX_STICKY_PEERS || sticky.containsKey(peer))) {
      sticky.put(peer, index);
    }
  }

  /** The rail the policy puts first, or -1 to take the healthy rails in turn. */
  private int first(InetAddress peer) {
    switch (policy) {
      case LEAST_CONNECTIONS -> {
        int best = -1;
        for (int i = 0; i < rails.size(); i++) {
          Rail r = rails.get(i);
          if (r.isUp() && (best < 0 || r.open() < rails.get(best).open())) {
            best = i;
          }
        }
        return best;
      }
      case STICKY -> {
        Integer kept = sticky.get(peer);
        return kept != null && rails.get(kept).isUp() ? kept : -1;
      }
      default -> {
        return -1;
      }
    }
  }
}
