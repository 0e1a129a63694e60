package dev.sdpshim.bench;

import dev.sdpshim.shim.SdpShim;
import dev.sdpshim.shim.ShimStatistics;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * Connect+accept with and without the shim, alternating within one JVM: the closest two
 * measurements can be on a shared VM, where JMH's forks (even {@link Paired}'s) land on different
 * minutes of other people's load. The same thread, JIT state and heap run both sides, one second
 * each, alternating which goes first, for {@code rounds} rounds; reported: the median per-round
 * ratio of the rate and of the thread's CPU time per op (which CPU steal does not inflate).
 * A complement to the JMH benchmarks ({@link AgentOverheadBenchmark}, {@code SocketBenchmark}),
 * which remain the measurements of record.
 *
 * <pre>
 * java -cp benchmarks.jar [shim JVM flags] dev.sdpshim.bench.Interleaved factory ROUNDS
 *     plain SocketFactory vs the shim's factory with the 1 000 rules that match nothing
 * java -cp benchmarks.jar [shim JVM flags] dev.sdpshim.bench.Interleaved rails ROUNDS
 *     plain SocketFactory vs two rails' factory (RailsBenchmark's group)
 * java -javaagent:shim-agent.jar -Dcom.sun.sdp.conf=1000-rules.conf -cp benchmarks.jar \
 *     dev.sdpshim.bench.Interleaved agent ROUNDS
 *     plain sockets with the agent's hook unset vs set (the bridge's handles; the agent stays loaded)
 * </pre>
 * The same op as {@link AgentOverheadBenchmark#connectAccept}: connect, then
 * {@link Loopback#acceptAndReset}.
 */
public final class Interleaved {
  private static final long PHASE_NANOS = 1_000_000_000L;

  /** The two sides: {@code on(true)} switches to the candidate; {@code op()} is one operation. */
  private interface Sides {
    void op() throws IOException;

    void on(boolean candidate);
  }

  private Interleaved() {
  }

  public static void main(String[] args) throws Exception {
    List<String> modes = List.of("factory", "rails", "agent", "stream", "pingpong", "mptcp-stream", "mptcp-pingpong");
    if (args.length != 2 || !modes.contains(args[0])) {
      System.err.println("usage: Interleaved " + String.join("|", modes) + " ROUNDS");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[1]);
    Loopback trial = new Loopback();
    try {
      Sides sides = switch (args[0]) {
        case "factory" -> connectSides(trial, SocketFactory.getDefault(), trial.track(Transport.noMatchShim()).socketFactory());
        case "rails" -> connectSides(trial, SocketFactory.getDefault(), RailsBenchmark.twoRails(trial).socketFactory());
        case "agent" -> agentSides(trial);
        case "stream", "pingpong" -> dataSides(trial, args[0].equals("stream"), tcpLink(trial, SocketFactory.getDefault()),
            tcpLink(trial, trial.track(Transport.noMatchShim()).socketFactory()));
        default -> mptcpSides(trial, args[0].equals("mptcp-stream"));
      };
      for (boolean candidate : new boolean[] {false, true}) { // JIT warm-up of both paths
        sides.on(candidate);
        run(sides, 3 * PHASE_NANOS);
      }
      double[] rate = new double[rounds];
      double[] cpu = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        double[][] phase = new double[2][];
        for (int k = 0; k < 2; k++) {
          boolean candidate = (r % 2 == 0) == (k == 1); // alternate which side goes first
          sides.on(candidate);
          phase[candidate ? 1 : 0] = run(sides, PHASE_NANOS);
        }
        rate[r] = phase[1][0] / phase[0][0];
        cpu[r] = phase[0][1] / phase[1][1];
        System.out.printf(Locale.ROOT, "round %d: baseline %.0f ops/s %.2f us CPU/op; candidate %.0f ops/s %.2f us CPU/op%n",
            r + 1, phase[0][0], phase[0][1], phase[1][0], phase[1][1]);
      }
      System.out.printf(Locale.ROOT, "%s, %d rounds: candidate speed median %.3fx (rate), %.3fx (CPU time per op)%n",
          args[0], rounds, Paired.median(rate), Paired.median(cpu));
    } finally {
      trial.closeAll();
    }
  }

  /** Runs the current side for {@code nanos}; returns {ops/s, CPU microseconds per op}. */
  private static double[] run(Sides sides, long nanos) throws IOException {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long n = 0;
    long now;
    do {
      sides.op();
      n++;
      now = System.nanoTime();
    } while (now - t0 < nanos);
    long cpu1 = threads.getCurrentThreadCpuTime();
    return new double[] {n / ((now - t0) / 1e9), (cpu1 - cpu0) / 1e3 / n};
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
