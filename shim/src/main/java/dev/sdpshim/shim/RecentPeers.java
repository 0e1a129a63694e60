package dev.sdpshim.shim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few distinct peers a group's connects reached, on any rail: what the prober tries, on
 * a rail that is down, besides the peer that rail failed to reach. That peer may be gone for good
 * while the rail is fine; any peer that answers proves the rail carries packets. A peer is its
 * address on the first rail and the port it was reached on (where it listens).
 *
 * <p>Cheap when the same peer is reached again and again (a client of one server): one volatile
 * read, no write. Thread-safe.
 */
final class RecentPeers {
  /** Peers remembered: one probe round tries each of them at once. */
  static final int SIZE = 4;

  /** Most recent first; guarded by this. */
  private final List<InetSocketAddress> peers = new ArrayList<>(SIZE + 1);
  private volatile InetSocketAddress latest;

  /** A connect reached {@code peer} (its address on the first rail) on {@code port}. */
  void reached(InetAddress peer, int port) {
    InetSocketAddress last = latest;
    if (last != null && last.getPort() == port && last.getAddress().equals(peer)) {
      return;
    }
    add(new InetSocketAddress(peer, port));
  }

  private synchronized void add(InetSocketAddress peer) {
    peers.remove(peer);
    peers.addFirst(peer);
    if (peers.size() > SIZE) {
      peers.removeLast();
    }
    latest = peer;
  }

  /** Most recent first. */
  synchronized List<InetSocketAddress> list() {
    return List.copyOf(peers);
  }
}
