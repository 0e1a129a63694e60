package dev.sdpshim.bench;

import dev.sdpshim.cluster.ClusterMember;
import dev.sdpshim.cluster.ClusterSocketFactory;
import dev.sdpshim.cluster.Member;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.shim.Protocol;
import dev.sdpshim.shim.SdpShim;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JGroups over the shim against JGroups with its own default socket factory, side by side in one
 * run: clusters of {@code members} ClusterMembers on 127.0.0.1 with the full sdp-shim stack
 * (AUTH, WITNESS, PANIC included), differing only in the transport's socket factory.
 * {@code factory}:
 * <ul>
 *   <li>{@code jgroups}: JGroups' {@code DefaultSocketFactory} (plain JDK sockets);
 *   <li>{@code shim}: {@link ClusterSocketFactory} over a shim whose rule {@code bind 127.0.0.1 *}
 *       matches every transport socket, in the dry run (protocol {@code tcp}): each socket is
 *       judged and counted and stays TCP, so the two compare the same kind of connection.
 * </ul>
 * Benchmarks: {@code multicast} sends 1 KiB messages to all from the first member and counts a
 * message when every other member has it (messages/s); {@code roundTrip} sends 64 bytes to the
 * second member, which answers (us per round trip). Issue target: shim/jgroups &gt;= 0.98.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1) // the dry run converts nothing: no FFM call, no descriptor read, so no JVM flags
public class ClusterBenchmark {
  private static final int BATCH = 1000;
  private static final byte[] SECRET = "bench".getBytes(StandardCharsets.UTF_8);
  private static final byte PING = 1;
  private static final byte PONG = 2;
  private static final byte DATA = 3;
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  @Param({"jgroups", "shim"})
  String factory;

  @Param({"2", "4"})
  int members;

  private final List<ClusterMember> cluster = new ArrayList<>();
  private final Semaphore delivered = new Semaphore(0);
  private final byte[] data = new byte[1024];
  private final byte[] ping = new byte[64];
  private volatile CompletableFuture<Void> pong;
  private SdpShim shim;
  private Member second;

  @Setup(Level.Trial)
  public void start() throws Exception {
    Supplier<SocketFactory> sockets = switch (factory) {
      case "jgroups" -> DefaultSocketFactory::new;
      case "shim" -> {
        SdpConfig config = RuleSetGenerator.offlineParser().parse("bind 127.0.0.1 *\n", "cluster-bench");
        shim = SdpShim.builder().name("bench-cluster-" + CLUSTERS.incrementAndGet()).config(config)
            .protocol(Protocol.TCP).build();
        yield () -> new ClusterSocketFactory(shim);
      }
      default -> throw new IllegalArgumentException("factory: jgroups or shim, not " + factory);
    };
    List<InetSocketAddress> peers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      peers.add(new InetSocketAddress(Loopback.LOOPBACK, freePort()));
    }
    String name = "bench-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet();
    for (int i = 0; i < members; i++) {
      int index = i;
      ClusterMember m = ClusterMember.builder(name, SECRET).name("b" + (i + 1))
          .bind(Loopback.LOOPBACK, peers.get(i).getPort()).peers(peers).socketFactory(sockets)
          .onMessage((from, payload) -> received(index, from, payload)).start();
      cluster.add(m);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (cluster.stream().anyMatch(m -> m.members().size() != members)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cluster did not form: " + cluster.getFirst().members());
      }
      Thread.sleep(10);
    }
    second = cluster.get(1).self();
    data[0] = DATA;
    ping[0] = PING;
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

  @TearDown(Level.Trial)
  public void stop() {
    for (int i = cluster.size() - 1; i >= 0; i--) {
      cluster.get(i).close();
    }
    cluster.clear();
    if (shim != null) {
      if (shim.statistics().rules().getFirst().matched() == 0) {
        throw new IllegalStateException("the shim judged no cluster socket: " + shim.statistics());
      }
      shim.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void multicast() throws Exception {
    ClusterMember sender = cluster.getFirst();
    for (int i = 0; i < BATCH; i++) {
      sender.sendToAll(data);
    }
    if (!delivered.tryAcquire(BATCH * (members - 1), 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("messages not delivered within 30 s");
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void roundTrip() throws Exception {
    CompletableFuture<Void> answer = new CompletableFuture<>();
    pong = answer;
    cluster.getFirst().send(second, ping);
    answer.get(10, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, Loopback.LOOPBACK)) {
      return s.getLocalPort();
    }
  }
}
