package dev.sdpshim.bench;

import dev.sdpshim.conf.RailPolicy;
import dev.sdpshim.shim.RailGroup;
import dev.sdpshim.shim.RailStatistics;
import dev.sdpshim.shim.SdpShim;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Connect rate across two healthy rails against one plain TCP path, side by side in one run.
 * Both on loopback, where the kernel path costs the same for every address of 127/8: the rails
 * are 127.0.0.1/32 and 127.0.0.2/32 (round-robin, so connections alternate between them), the
 * listener is one {@code ServerSocket} on the wildcard address that accepts on both. So the
 * difference is what the railed factory adds: the rail choice, an explicit bind to the rail's
 * address (judged by 1 000 bind rules that match nothing, {@link RuleSetGenerator}), the socket
 * behind a railed {@code Socket}. Namespaces with veth pairs would add the veth path to both sides
 * equally and only make the ratio noisier.
 * <ul>
 *   <li>{@code plain-tcp}: {@code SocketFactory.getDefault().createSocket(127.0.0.1, port)}, a
 *       blocking connect without a timeout;</li>
 *   <li>{@code plain-tcp-timeout}: a plain socket connected with {@code connect(address, 1000)}:
 *       the plain path of a client that bounds its connects, as JDBC drivers do (the JDK then
 *       connects non-blocking and polls: three system calls more);</li>
 *   <li>{@code plain-tcp-bound}: a plain socket bound to 127.0.0.1 port 0, then connected with
 *       {@code connect(address, 1000)}: one pinned path, what a client does without rails to use
 *       one port (and to have the bind rules decide SDP for it);</li>
 *   <li>{@code rails-2}: {@code RailGroup.socketFactory().createSocket(127.0.0.1, port)}; every
 *       connect on a rail is bounded by the group's connect timeout (1 s here), which is how a
 *       dead rail is found, and registered for a hedge after 250 ms (never due here);</li>
 *   <li>{@code rails-2-nohedge}: the same with {@code hedgeDelay(Duration.ZERO)}: what the hedge's
 *       registration costs a healthy connect.</li>
 * </ul>
 * Each op: create (connect), accept, close both with SO_LINGER 0 (no TIME_WAIT pile-up).
 * Issue target: rails-2 / plain-tcp &gt;= 0.95. Run it with {@link Paired} and a warm-up of at
 * least 3 x 2 s (the railed path needs more JIT compilation; docs/rails.md has the command).
 */
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-opens", "java.base/java.io=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class RailsBenchmark {

  @State(Scope.Thread)
  public static class Connect {
    @Param({"plain-tcp", "plain-tcp-timeout", "plain-tcp-bound", "rails-2", "rails-2-nohedge"})
    public String transport;

    final Loopback lb = new Loopback();
    final InetAddress destination = Loopback.LOOPBACK;
    SocketFactory factory;
    /** Plain socket with a connect timeout, in ms; 0: the factory connects. */
    int timeout;
    /** Where a plain socket is bound before it connects; null: not bound. */
    InetSocketAddress bind;
    ServerSocket server;
    RailGroup rails;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      server = lb.track(new ServerSocket());
      server.bind(new InetSocketAddress(0), 128);
      timeout = transport.startsWith("plain-tcp-") ? 1000 : 0;
      bind = transport.equals("plain-tcp-bound") ? new InetSocketAddress(destination, 0) : null;
      switch (transport) {
        case "plain-tcp", "plain-tcp-timeout", "plain-tcp-bound" -> factory = SocketFactory.getDefault();
        case "rails-2", "rails-2-nohedge" -> {
          rails = transport.equals("rails-2") ? twoRails(lb) : twoRails(lb, Duration.ZERO);
          factory = rails.socketFactory();
        }
        default -> throw new IllegalArgumentException("unknown transport " + transport);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      if (rails != null) {
        RailStatistics st = rails.statistics();
        long r1 = st.rail("r1").connects();
        long r2 = st.rail("r2").connects();
        if (Math.abs(r1 - r2) > 1 || st.rails().stream().anyMatch(r -> !r.up() || r.failovers() > 0)) {
          throw new IllegalStateException("expected both rails healthy and used in turn: " + st);
        }
      }
      lb.closeAll();
    }
  }

  /** Two rails on loopback, 127.0.0.1/32 and 127.0.0.2/32, round-robin, hedged after 250 ms. */
  static RailGroup twoRails(Loopback lb) {
    return twoRails(lb, Duration.ofMillis(250));
  }

  private static RailGroup twoRails(Loopback lb, Duration hedgeDelay) {
    SdpShim shim = lb.track(Transport.noMatchShim());
    return lb.track(RailGroup.builder(shim).rail("r1", "127.0.0.1/32", null).rail("r2", "127.0.0.2/32", null)
        .policy(RailPolicy.ROUND_ROBIN).connectTimeout(Duration.ofSeconds(1)).hedgeDelay(hedgeDelay).build());
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void connectAccept(Connect c) throws IOException {
    Socket s;
    if (c.timeout > 0) {
      s = c.factory.createSocket();
      if (c.bind != null) {
        s.bind(c.bind);
      }
      s.connect(new InetSocketAddress(c.destination, c.server.getLocalPort()), c.timeout);
    } else {
      s = c.factory.createSocket(c.destination, c.server.getLocalPort());
    }
    Socket a = c.server.accept();
    s.setSoLinger(true, 0);
    s.close();
    a.close();
  }
}
