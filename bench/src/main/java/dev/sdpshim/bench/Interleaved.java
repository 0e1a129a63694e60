package dev.sdpshim.bench;

import dev.sdpshim.shim.SdpShim;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * java -javaagent:shim-agent.jar -Dcom.sun.sdp.conf=1000-rules.conf -cp benchmarks.jar \
 *     dev.sdpshim.bench.Interleaved agent ROUNDS
 *     plain sockets with the agent's hook unset vs set (the bridge's handles; the agent stays loaded)
 * </pre>
 * The same loop as {@link AgentOverheadBenchmark#connectAccept}: connect, accept in this thread,
 * close with SO_LINGER 0.
 */
public final class Interleaved {
  private static final long PHASE_NANOS = 1_000_000_000L;

  /** The two sides: {@code on(true)} switches to the candidate. */
  private interface Sides {
    Socket connect(InetAddress host, int port) throws IOException;

    void on(boolean candidate);
  }

  private Interleaved() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("factory") || args[0].equals("agent"))) {
      System.err.println("usage: Interleaved factory|agent ROUNDS");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[1]);
    Sides sides = args[0].equals("factory") ? factorySides() : agentSides();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket server = new ServerSocket(0, 128, loopback)) {
      for (boolean candidate : new boolean[] {false, true}) { // JIT warm-up of both paths
        sides.on(candidate);
        run(sides, loopback, server, 3 * PHASE_NANOS);
      }
      double[] rate = new double[rounds];
      double[] cpu = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        double[][] phase = new double[2][];
        for (int k = 0; k < 2; k++) {
          boolean candidate = (r % 2 == 0) == (k == 1); // alternate which side goes first
          sides.on(candidate);
          phase[candidate ? 1 : 0] = run(sides, loopback, server, PHASE_NANOS);
        }
        rate[r] = phase[1][0] / phase[0][0];
        cpu[r] = phase[0][1] / phase[1][1];
        System.out.printf(Locale.ROOT, "round %d: baseline %.0f ops/s %.2f us CPU/op; candidate %.0f ops/s %.2f us CPU/op%n",
            r + 1, phase[0][0], phase[0][1], phase[1][0], phase[1][1]);
      }
      System.out.printf(Locale.ROOT, "%s, %d rounds: candidate speed median %.3fx (rate), %.3fx (CPU time per op)%n",
          args[0], rounds, Paired.median(rate), Paired.median(cpu));
    }
  }

  /** Connects for {@code nanos}; returns {ops/s, CPU microseconds per op}. */
  private static double[] run(Sides sides, InetAddress host, ServerSocket server, long nanos) throws IOException {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long n = 0;
    long now;
    do {
      Socket s = sides.connect(host, server.getLocalPort());
      Socket a = server.accept();
      s.setSoLinger(true, 0);
      s.close();
      a.close();
      n++;
      now = System.nanoTime();
    } while (now - t0 < nanos);
    long cpu1 = threads.getCurrentThreadCpuTime();
    return new double[] {n / ((now - t0) / 1e9), (cpu1 - cpu0) / 1e3 / n};
  }

  private static Sides factorySides() {
    SdpShim shim = Transport.noMatchShim();
    SocketFactory plain = SocketFactory.getDefault();
    SocketFactory factory = shim.socketFactory();
    return new Sides() {
      private SocketFactory current = plain;

      @Override
      public Socket connect(InetAddress host, int port) throws IOException {
        return current.createSocket(host, port);
      }

      @Override
      public void on(boolean candidate) {
        current = candidate ? factory : plain;
      }
    };
  }

  /** The agent's bridge fields hold the hook; null makes the JDK's calls go straight to Net. */
  private static Sides agentSides() throws ReflectiveOperationException {
    Class<?> bridge = Class.forName("sun.nio.ch.SdpShimBridge", false, null);
    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(bridge, MethodHandles.lookup());
    VarHandle bind = lookup.findStaticVarHandle(bridge, "bind", java.lang.invoke.MethodHandle.class);
    VarHandle connect = lookup.findStaticVarHandle(bridge, "connect", java.lang.invoke.MethodHandle.class);
    Object bindHook = bind.getVolatile();
    Object connectHook = connect.getVolatile();
    if (bindHook == null || connectHook == null) {
      throw new IllegalStateException("the agent's hook is not installed in this JVM");
    }
    return new Sides() {
      @Override
      public Socket connect(InetAddress host, int port) throws IOException {
        return new Socket(host, port);
      }

      @Override
      public void on(boolean candidate) {
        bind.setVolatile(candidate ? bindHook : null);
        connect.setVolatile(candidate ? connectHook : null);
      }
    };
  }
}
