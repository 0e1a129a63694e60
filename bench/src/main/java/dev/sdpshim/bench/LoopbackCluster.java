package dev.sdpshim.bench;

import dev.sdpshim.cluster.ClusterMember;
import dev.sdpshim.cluster.ClusterSocketFactory;
import dev.sdpshim.cluster.ClusterStack;
import dev.sdpshim.cluster.Member;
import dev.sdpshim.shim.SdpShim;
import dev.sdpshim.shim.ShimStatistics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jgroups.util.DefaultSocketFactory;
import org.jgroups.util.SocketFactory;

/**
 * A cluster of {@code members} {@link ClusterMember}s on 127.0.0.1 with the full sdp-shim stack
 * ({@link ClusterStack}: AUTH, WITNESS, PANIC included) and the two operations the cluster
 * benchmarks measure: a multicast batch from the first member, done when every other member has
 * it, and a round trip to the second member. Two such clusters differ only in the transport's
 * socket factory ({@link Factory}); {@link ClusterBenchmark} and {@link Interleaved} compare them.
 */
final class LoopbackCluster implements AutoCloseable {
  /** A multicast message's size. */
  static final int DATA_SIZE = 1024;
  private static final byte[] SECRET = "bench".getBytes(StandardCharsets.UTF_8);
  private static final byte PING = 1;
  private static final byte PONG = 2;
  private static final byte DATA = 3;
  private static final long FORM_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  /** The transport's socket factory: the one difference between the clusters compared. */
  enum Factory {
    /** JGroups' own {@code DefaultSocketFactory}: plain JDK sockets, no shim class anywhere. */
    JGROUPS,
    /**
     * {@link ClusterSocketFactory} over {@link Transport#noMatchShim()}'s 1 000 rules, none of
     * which matches 127.0.0.1: every cluster socket is judged and stays TCP (the common case).
     */
    SHIM;

    static Factory of(String name) {
      return switch (name) {
        case "jgroups" -> JGROUPS;
        case "shim" -> SHIM;
        default -> throw new IllegalArgumentException("factory: jgroups or shim, not " + name);
      };
    }
  }

  private final List<ClusterMember> cluster = new ArrayList<>();
  private final int members;
  private final Semaphore delivered = new Semaphore(0);
  private final byte[] data = new byte[DATA_SIZE];
  private final byte[] ping = new byte[Loopback.PING_SIZE];
  private final SdpShim shim;
  private volatile CompletableFuture<Void> pong;
  private Member second;

  private LoopbackCluster(Factory factory, int members) {
    if (members < 2) {
      throw new IllegalArgumentException("a cluster to measure needs at least 2 members, not " + members);
    }
    this.members = members;
    this.shim = factory == Factory.SHIM ? Transport.noMatchShim() : null;
    data[0] = DATA;
    ping[0] = PING;
  }

  /** Starts {@code members} members and waits until each sees all of them. */
  static LoopbackCluster start(Factory factory, int members) throws Exception {
    LoopbackCluster c = new LoopbackCluster(factory, members);
    try {
      c.form();
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private void form() throws Exception {
    Supplier<SocketFactory> sockets = shim == null ? DefaultSocketFactory::new : () -> new ClusterSocketFactory(shim);
    List<InetSocketAddress> peers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      peers.add(new InetSocketAddress(Loopback.LOOPBACK, freePort()));
    }
    String name = "bench-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet();
    for (int i = 0; i < members; i++) {
      int index = i;
      cluster.add(ClusterMember.builder(name, SECRET).name("b" + (i + 1))
          .bind(Loopback.LOOPBACK, peers.get(i).getPort()).peers(peers).socketFactory(sockets)
          .onMessage((from, payload) -> received(index, from, payload)).start());
    }
    long deadline = System.nanoTime() + FORM_TIMEOUT_NANOS;
    while (cluster.stream().anyMatch(m -> m.members().size() != members)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster did not form: " + cluster.getFirst().members());
      }
      Thread.sleep(10);
    }
    second = cluster.get(1).self();
    if (shim != null) {
      ShimStatistics st = shim.statistics();
      if (st.noMatch() < 1 || st.rules().stream().anyMatch(r -> r.matched() > 0)) {
        throw new IllegalStateException("the shim was to judge every cluster socket and match none: " + st);
      }
    }
  }

  private void received(int index, Member from, byte[] payload) {
    try {
      switch (payload[0]) {
        case DATA -> {
          if (index != 0) {
            delivered.release();
          }
        }
        case PING -> cluster.get(index).send(from, new byte[] {PONG});
        case PONG -> pong.complete(null);
        default -> throw new IllegalStateException("unknown message " + payload[0]);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code count} messages of {@value #DATA_SIZE} bytes to all, returning once all have them. */
  void multicast(int count) throws Exception {
    ClusterMember sender = cluster.getFirst();
    for (int i = 0; i < count; i++) {
      sender.sendToAll(data);
    }
    if (!delivered.tryAcquire(count * (members - 1), 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("messages not delivered within 30 s");
    }
  }

  /** {@value Loopback#PING_SIZE} bytes to the second member and its answer. */
  void roundTrip() throws Exception {
    CompletableFuture<Void> answer = new CompletableFuture<>();
    pong = answer;
    cluster.getFirst().send(second, ping);
    answer.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    for (int i = cluster.size() - 1; i >= 0; i--) {
      cluster.get(i).close();
    }
    cluster.clear();
    if (shim != null) {
      shim.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, Loopback.LOOPBACK)) {
      return s.getLocalPort();
    }
  }
}
