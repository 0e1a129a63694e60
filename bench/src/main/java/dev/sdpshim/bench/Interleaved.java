package dev.sdpshim.bench;

import dev.sdpshim.shim.SdpShim;
import dev.sdpshim.shim.ShimStatistics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * Two setups side by side, alternating within one JVM: the closest two measurements can be on a
 * shared VM, where JMH's forks (even {@link Paired}'s) land on different minutes of other people's
 * load. The same JIT state and heap run both sides, one second each, alternating which goes first,
 * for {@code rounds} rounds; reported: the median per-round ratio of the rate and of the CPU time
 * per op (which CPU steal does not inflate), with the quartiles and the range of the per-round
 * ratios. A complement to the JMH benchmarks ({@link AgentOverheadBenchmark},
 * {@code SocketBenchmark}, {@link ClusterBenchmark}), which give the absolute numbers.
 *
 * <pre>
 * java -cp benchmarks.jar [shim JVM flags] dev.sdpshim.bench.Interleaved MODE ROUNDS
 *   factory              connect+accept: plain SocketFactory vs the shim's with 1 000 rules that match nothing
 *   rails                connect+accept: plain SocketFactory vs two rails' factory (RailsBenchmark's group)
 *   stream, pingpong     64 KiB writes / 64-byte round trips: plain TCP vs the no-match shim's socket
 *   mptcp-stream, mptcp-pingpong   the same over MPTCP: the accepted plain Socket vs the shim's
 * java -javaagent:shim-agent.jar -Dcom.sun.sdp.conf=1000-rules.conf -cp benchmarks.jar \
 *     dev.sdpshim.bench.Interleaved agent ROUNDS
 *     plain sockets with the agent's hook unset vs set (the bridge's handles; the agent stays loaded)
 * java -cp benchmarks.jar dev.sdpshim.bench.Interleaved cluster-rtt|cluster-throughput ROUNDS [MEMBERS [B,C]]
 *     two {@link LoopbackCluster}s of MEMBERS (default 2): JGroups' default socket factory vs the
 *     shim's; 64-byte round trips to the second member / 1 KiB multicasts from the first.
 *     B,C (default jgroups,shim) names each side's factory: jgroups,jgroups is an A/A run
 * </pre>
 * The socket modes measure the thread's CPU time; the cluster modes every thread's.
 */
public final class Interleaved {
  private static final long PHASE_NANOS = 1_000_000_000L;
  /** Each side runs this long before the rounds start: the JIT compiles both paths. */
  private static final long WARMUP_NANOS = 3 * PHASE_NANOS;
  private static final List<String> MODES = List.of("factory", "rails", "agent", "stream", "pingpong",
      "mptcp-stream", "mptcp-pingpong", "cluster-rtt", "cluster-throughput");
  /** Messages per op of {@code cluster-throughput}: a few ms, so that a phase holds hundreds. */
  private static final int CLUSTER_BATCH = 200;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** The two sides: {@code on(true)} switches to the candidate; {@code op()} is one operation. */
  interface Sides {
    void op() throws Exception;

    void on(boolean candidate);

    /** How many units (messages, round trips, connections) one op is; rates are per unit. */
    default int unitsPerOp() {
      return 1;
    }

    /**
     * The CPU clock the CPU time per unit is read from: by default the measuring thread's, which
     * does all the work of the socket modes.
     */
    default long cpuNanos() {
      return THREADS.getCurrentThreadCpuTime();
    }
  }

  /** One round: each side's rate (units/s) and CPU microseconds per unit. */
  record Round(double baselineRate, double baselineCpu, double candidateRate, double candidateCpu) {
    /** The candidate's speed in rate: above 1 is faster. */
    double rate() {
      return candidateRate / baselineRate;
    }

    /** The candidate's speed in CPU time per unit: above 1 uses less. */
    double cpu() {
      return baselineCpu / candidateCpu;
    }
  }

  private Interleaved() {
  }

  public static void main(String[] args) throws Exception {
    boolean cluster = args.length > 0 && args[0].startsWith("cluster-");
    if (args.length < 2 || args.length > (cluster ? 4 : 2) || !MODES.contains(args[0])) {
      System.err.println("usage: Interleaved " + String.join("|", MODES) + " ROUNDS"
          + "\n       Interleaved cluster-rtt|cluster-throughput ROUNDS [MEMBERS [BASELINE,CANDIDATE]]"
          + "\n         MEMBERS default 2; BASELINE,CANDIDATE each jgroups or shim, default jgroups,shim"
          + " (jgroups,jgroups: an A/A run, the method's own noise)");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[1]);
    int members = args.length >= 3 ? Integer.parseInt(args[2]) : 2;
    String[] factories = (args.length == 4 ? args[3] : "jgroups,shim").split(",", -1);
    if (factories.length != 2) {
      throw new IllegalArgumentException("BASELINE,CANDIDATE: two factories, not " + args[3]);
    }
    Loopback trial = new Loopback();
    try {
      Sides sides = cluster
          ? clusterSides(trial, args[0].equals("cluster-throughput"), members,
              LoopbackCluster.Factory.of(factories[0]), LoopbackCluster.Factory.of(factories[1]))
          : sides(trial, args[0], members);
      List<Round> measured = measure(sides, rounds, PHASE_NANOS, WARMUP_NANOS, System.out);
      System.out.print(report(args[0] + (cluster ? ", " + members + " members, " + factories[1] + " vs "
          + factories[0] : ""), measured));
    } finally {
      trial.closeAll();
    }
  }

  /** The sides of {@code mode}; {@code members} is the cluster size of the cluster modes. */
  static Sides sides(Loopback trial, String mode, int members) throws Exception {
    return switch (mode) {
      case "factory" -> connectSides(trial, SocketFactory.getDefault(), trial.track(Transport.noMatchShim()).socketFactory());
      case "rails" -> connectSides(trial, SocketFactory.getDefault(), RailsBenchmark.twoRails(trial).socketFactory());
      case "agent" -> agentSides(trial);
      case "stream", "pingpong" -> dataSides(trial, mode.equals("stream"), tcpLink(trial, SocketFactory.getDefault()),
          tcpLink(trial, trial.track(Transport.noMatchShim()).socketFactory()));
      case "mptcp-stream", "mptcp-pingpong" -> mptcpSides(trial, mode.equals("mptcp-stream"));
      case "cluster-rtt", "cluster-throughput" -> clusterSides(trial, mode.equals("cluster-throughput"), members,
          LoopbackCluster.Factory.JGROUPS, LoopbackCluster.Factory.SHIM);
      default -> throw new IllegalArgumentException("unknown mode " + mode + "; one of " + MODES);
    };
  }

  /**
   * Warms both sides up for {@code warmupNanos} each, then runs {@code rounds} rounds of one
   * {@code phaseNanos} phase per side, alternating which side goes first; prints each round to
   * {@code log}.
   */
  static List<Round> measure(Sides sides, int rounds, long phaseNanos, long warmupNanos, PrintStream log)
      throws Exception {
    for (boolean candidate : new boolean[] {false, true}) {
      sides.on(candidate);
      run(sides, warmupNanos);
    }
    List<Round> measured = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      double[][] phase = new double[2][];
      for (int k = 0; k < 2; k++) {
        boolean candidate = (r % 2 == 0) == (k == 1); // alternate which side goes first
        sides.on(candidate);
        phase[candidate ? 1 : 0] = run(sides, phaseNanos);
      }
      Round round = new Round(phase[0][0], phase[0][1], phase[1][0], phase[1][1]);
      measured.add(round);
      log.printf(Locale.ROOT, "round %d: baseline %.0f ops/s %.2f us CPU/op; candidate %.0f ops/s %.2f us CPU/op%n",
          r + 1, round.baselineRate(), round.baselineCpu(), round.candidateRate(), round.candidateCpu());
    }
    return measured;
  }

  /**
   * The medians of the per-round speeds (candidate over baseline for rates, baseline over
   * candidate for CPU time per op: above 1, the candidate is faster) and their spread: the middle
   * half of the rounds (quartiles) and all of them (lowest..highest).
   */
  static String report(String label, List<Round> rounds) {
    double[] rate = rounds.stream().mapToDouble(Round::rate).toArray();
    double[] cpu = rounds.stream().mapToDouble(Round::cpu).toArray();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%s, %d rounds: candidate speed median %.3fx (rate), %.3fx (CPU time per op)%n",
        label, rounds.size(), Paired.median(rate), Paired.median(cpu)));
    s.append(spread("rate", rate)).append(spread("CPU/op", cpu));
    s.append(String.format(Locale.ROOT, "  medians: baseline %.0f ops/s %.2f us CPU/op; candidate %.0f ops/s %.2f us CPU/op%n",
        Paired.median(rounds.stream().mapToDouble(Round::baselineRate).toArray()),
        Paired.median(rounds.stream().mapToDouble(Round::baselineCpu).toArray()),
        Paired.median(rounds.stream().mapToDouble(Round::candidateRate).toArray()),
        Paired.median(rounds.stream().mapToDouble(Round::candidateCpu).toArray())));
    return s.toString();
  }

  private static String spread(String name, double[] speeds) {
    return String.format(Locale.ROOT, "  %-6s quartiles %.3fx..%.3fx, range %.3fx..%.3fx%n", name,
        Paired.quantile(speeds, 0.25), Paired.quantile(speeds, 0.75), Paired.quantile(speeds, 0),
        Paired.quantile(speeds, 1));
  }

  /** Runs the current side for {@code nanos}; returns {units/s, CPU microseconds per unit}. */
  private static double[] run(Sides sides, long nanos) throws Exception {
    long cpu0 = sides.cpuNanos();
    long t0 = System.nanoTime();
    long n = 0;
    long now;
    do {
      sides.op();
      n += sides.unitsPerOp();
      now = System.nanoTime();
    } while (now - t0 < nanos);
    long cpu1 = sides.cpuNanos();
    return new double[] {n / ((now - t0) / 1e9), (cpu1 - cpu0) / 1e3 / n};
  }

  /**
   * Two {@link LoopbackCluster}s of {@code members}, the same stack but for the transport's socket
   * factory: normally JGroups' default (baseline) and the shim's over rules that match none of its
   * sockets (candidate); the same factory on both sides measures the method's noise. Both stay up; the idle one's background traffic (heartbeats, acks, INFO) runs
   * during either side's phase alike. The work is spread over JGroups' threads (receivers,
   * bundlers, virtual threads' carriers), so the CPU clock is the sum of every thread's.
   */
  private static Sides clusterSides(Loopback trial, boolean throughput, int members,
      LoopbackCluster.Factory baselineFactory, LoopbackCluster.Factory candidateFactory) throws Exception {
    LoopbackCluster baseline = trial.track(LoopbackCluster.start(baselineFactory, members));
    LoopbackCluster candidate = trial.track(LoopbackCluster.start(candidateFactory, members));
    return new Sides() {
      private LoopbackCluster current = baseline;

      @Override
      public void op() throws Exception {
        if (throughput) {
          current.multicast(CLUSTER_BATCH);
        } else {
          current.roundTrip();
        }
      }

      @Override
      public void on(boolean candidateSide) {
        current = candidateSide ? candidate : baseline;
      }

      @Override
      public int unitsPerOp() {
        return throughput ? CLUSTER_BATCH : 1;
      }

      @Override
      public long cpuNanos() {
        return CpuTimeProfiler.liveThreadsCpuNanos();
      }
    };
  }

  /**
   * One connection's two ends: the benchmark writes or pings from {@code near}; {@code far}
   * drains or echoes on a daemon thread.
   */
  private record Link(Socket near, Socket far) {
  }

  private static Link tcpLink(Loopback trial, SocketFactory factory) throws IOException {
    ServerSocket server = trial.track(new ServerSocket(0, 50, Loopback.LOOPBACK));
    Socket near = trial.track(factory.createSocket(Loopback.LOOPBACK, server.getLocalPort()));
    return new Link(near, trial.track(server.accept()));
  }

  /**
   * Plain MPTCP against the shim's MPTCP: two MPTCP connections from a converting shim (the JDK
   * cannot open an MPTCP socket itself). The baseline writes from the accepted end, an instance of
   * exactly java.net.Socket; the candidate from the factory's end of the other connection.
   */
  private static Sides mptcpSides(Loopback trial, boolean stream) throws IOException {
    SdpShim shim = trial.track(Wire.MPTCP.converting(Loopback.LOOPBACK));
    ServerSocket server = trial.track(shim.serverSocketFactory().createServerSocket(0, 50, Loopback.LOOPBACK));
    Link[] links = new Link[2];
    for (int i = 0; i < 2; i++) {
      Socket client = trial.track(shim.socketFactory().createSocket(Loopback.LOOPBACK, server.getLocalPort()));
      Socket accepted = trial.track(server.accept());
      if (accepted.getClass() != Socket.class) {
        throw new IllegalStateException("the accepted end is a " + accepted.getClass());
      }
      links[i] = i == 0 ? new Link(accepted, client) : new Link(client, accepted);
    }
    long converted = shim.statistics().rules().stream().mapToLong(ShimStatistics.RuleCounts::converted).sum();
    if (converted != 3) { // the listener and both clients
      throw new IllegalStateException("expected MPTCP sockets: " + shim.statistics());
    }
    return dataSides(trial, stream, links[0], links[1]);
  }

  /** 64 KiB writes to a draining peer, or 64-byte ping-pongs with an echoing one. */
  private static Sides dataSides(Loopback trial, boolean stream, Link baseline, Link candidate) throws IOException {
    byte[] chunk = new byte[stream ? 64 * 1024 : Loopback.PING_SIZE];
    byte[] reply = new byte[chunk.length];
    for (Link link : List.of(baseline, candidate)) {
      link.near().setTcpNoDelay(true);
      link.far().setTcpNoDelay(true);
      if (stream) {
        trial.start("drain", () -> Peer.sink(link.far().getInputStream()));
      } else {
        trial.echo(link.far());
      }
    }
    return new Sides() {
      private Link current = baseline;

      @Override
      public void op() throws IOException {
        current.near().getOutputStream().write(chunk);
        if (!stream && !Peer.readFully(current.near().getInputStream(), reply)) {
          throw new IOException("echo peer closed");
        }
      }

      @Override
      public void on(boolean candidateSide) {
        current = candidateSide ? candidate : baseline;
      }
    };
  }

  private static Sides connectSides(Loopback trial, SocketFactory plain, SocketFactory factory) throws IOException {
    // The wildcard address: a railed connect reaches the peer's address on the second rail too.
    ServerSocket server = trial.track(new ServerSocket(0, 128));
    int port = server.getLocalPort();
    return new Sides() {
      private SocketFactory current = plain;

      @Override
      public void op() throws IOException {
        Loopback.acceptAndReset(server, current.createSocket(Loopback.LOOPBACK, port));
      }

      @Override
      public void on(boolean candidate) {
        current = candidate ? factory : plain;
      }
    };
  }

  /** The agent's bridge fields hold the hook; null makes the JDK's calls go straight to Net. */
  private static Sides agentSides(Loopback trial) throws ReflectiveOperationException, IOException {
    Class<?> bridge = Class.forName("sun.nio.ch.SdpShimBridge", false, null);
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(bridge, MethodHandles.lookup());
    VarHandle bind = lookup.findStaticVarHandle(bridge, "bind", java.lang.invoke.MethodHandle.class);
    VarHandle connect = lookup.findStaticVarHandle(bridge, "connect", java.lang.invoke.MethodHandle.class);
    Object bindHook = bind.getVolatile();
    Object connectHook = connect.getVolatile();
    if (bindHook == null || connectHook == null) {
      throw new IllegalStateException("the agent's hook is not installed in this JVM");
    }
    ServerSocket server = trial.track(new ServerSocket(0, 128, Loopback.LOOPBACK));
    int port = server.getLocalPort();
    return new Sides() {
      @Override
      public void op() throws IOException {
        Loopback.acceptAndReset(server, new Socket(Loopback.LOOPBACK, port));
      }

      @Override
      public void on(boolean candidate) {
        bind.setVolatile(candidate ? bindHook : null);
        connect.setVolatile(candidate ? connectHook : null);
      }
    };
  }
}
