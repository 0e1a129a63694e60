package dev.sdpshim.bench;

import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.shim.Fallback;
import dev.sdpshim.shim.Protocol;
import dev.sdpshim.shim.SdpShim;
import dev.sdpshim.shim.ShimStatistics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The data path and the connect path of sockets made by the shim's factories, on 127.0.0.1, side
 * by side with plain JDK sockets in the same run. {@code transport}:
 * <ul>
 *   <li>{@code plain-tcp}: {@code new Socket()} / {@code SocketFactory.getDefault()} and a plain
 *       {@code ServerSocket}; no shim class anywhere.
 *   <li>{@code shim-nomatch}: both ends from a shim (protocol MPTCP) whose 1 000 generated rules
 *       ({@link RuleSetGenerator}, the InfiniBand-site file) match nothing on loopback: every
 *       bind and connect is looked up and stays TCP.
 *   <li>{@code plain-mptcp} and {@code shim-mptcp}: one MPTCP connection made at setup through a
 *       shim with {@code bind 127.0.0.1 *} and {@code connect 127.0.0.1 *} (protocol MPTCP,
 *       fallback FAIL, checked in its statistics), so both ends are MPTCP. The JDK cannot make an
 *       MPTCP socket by itself, so "plain" is the accepted end: an instance of exactly
 *       {@code java.net.Socket}, whose peer is the factory's socket. {@code shim-mptcp} is the
 *       factory's {@code ShimSocket}, whose peer is the accepted one. Roles swap, the connection
 *       kind does not; conversion is paid once at setup, so this compares the steady-state data
 *       path only.
 * </ul>
 * Benchmarks: {@code stream} writes 64 KiB per op while a peer thread drains (ops/s; the summary
 * turns it into MB/s); {@code pingPong} sends 64 bytes and waits for the 64-byte echo (us per
 * round trip); {@code connectAccept} is {@code factory.createSocket(127.0.0.1, port)}, accept, close
 * with SO_LINGER 0 so that no TIME_WAIT piles up (ops/s; {@code shim-mptcp} there converts every
 * socket and is informational, as there is no plain MPTCP to compare with).
 *
 * <p>Issue targets: stream and pingPong shim/plain &gt;= 0.98 (nomatch vs TCP, MPTCP vs MPTCP);
 * connectAccept shim-nomatch/plain-tcp &gt;= 0.95.
 */
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-opens", "java.base/java.io=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class SocketBenchmark {
  static final int RULES = 1000;
  private static final AtomicInteger SHIMS = new AtomicInteger();

  static SdpShim noMatchShim() {
    SdpConfig config = RuleSetGenerator.offlineParser().parse(RuleSetGenerator.generate(RULES).text(), "generated-" + RULES);
    if (config.rules().size() != RULES) {
      throw new IllegalStateException("expected " + RULES + " rules: " + config);
    }
    return SdpShim.builder().name("bench-nomatch-" + SHIMS.incrementAndGet()).config(config)
        .protocol(Protocol.MPTCP).fallback(Fallback.TCP).build();
  }

  static SdpShim loopbackMptcpShim() {
    SdpConfig config = RuleSetGenerator.offlineParser().parse("bind 127.0.0.1 *\nconnect 127.0.0.1 *\n", "loopback-mptcp");
    return SdpShim.builder().name("bench-mptcp-" + SHIMS.incrementAndGet()).config(config)
        .protocol(Protocol.MPTCP).fallback(Fallback.FAIL).build();
  }

  /** One established loopback connection: {@code mine} is what the benchmark thread uses. */
  record Connection(Socket mine, Socket theirs) {}

  static Connection connect(String transport, Loopback lb) throws IOException {
    Connection c = switch (transport) {
      case "plain-tcp" -> {
        ServerSocket server = lb.track(new ServerSocket(0, 50, Loopback.LOOPBACK));
        Socket client = lb.track(new Socket());
        client.connect(new InetSocketAddress(Loopback.LOOPBACK, server.getLocalPort()));
        yield new Connection(client, lb.accept(server));
      }
      case "shim-nomatch" -> {
        SdpShim shim = lb.track(noMatchShim());
        ServerSocket server = lb.track(shim.serverSocketFactory().createServerSocket(0, 50, Loopback.LOOPBACK));
        Socket client = lb.track(shim.socketFactory().createSocket(Loopback.LOOPBACK, server.getLocalPort()));
        Socket accepted = lb.accept(server);
        ShimStatistics st = shim.statistics();
        if (st.noMatch() < 2 || st.rules().stream().anyMatch(r -> r.matched() > 0)) {
          throw new IllegalStateException("expected no rule to match on loopback: " + st);
        }
        yield new Connection(client, accepted);
      }
      case "plain-mptcp", "shim-mptcp" -> {
        SdpShim shim = lb.track(loopbackMptcpShim());
        ServerSocket server = lb.track(shim.serverSocketFactory().createServerSocket(0, 50, Loopback.LOOPBACK));
        Socket client = lb.track(shim.socketFactory().createSocket(Loopback.LOOPBACK, server.getLocalPort()));
        Socket accepted = lb.accept(server);
        ShimStatistics st = shim.statistics();
        long converted = st.rules().stream().mapToLong(ShimStatistics.RuleCounts::converted).sum();
        if (converted != 2 || accepted.getClass() != Socket.class) {
          throw new IllegalStateException("expected an MPTCP listener and client (2 conversions): " + st
              + ", accepted " + accepted.getClass());
        }
        yield transport.equals("plain-mptcp") ? new Connection(accepted, client) : new Connection(client, accepted);
      }
      default -> throw new IllegalArgumentException("unknown transport " + transport);
    };
    c.mine().setTcpNoDelay(true);
    c.theirs().setTcpNoDelay(true);
    return c;
  }

  @State(Scope.Thread)
  public static class Stream {
    @Param({"plain-tcp", "shim-nomatch", "plain-mptcp", "shim-mptcp"})
    public String transport;

    final Loopback lb = new Loopback();
    final byte[] chunk = new byte[Loopback.STREAM_CHUNK];
    OutputStream out;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      Connection c = connect(transport, lb);
      lb.drain(c.theirs());
      out = c.mine().getOutputStream();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      lb.closeAll();
    }
  }

  @State(Scope.Thread)
  public static class Ping {
    @Param({"plain-tcp", "shim-nomatch", "plain-mptcp", "shim-mptcp"})
    public String transport;

    final Loopback lb = new Loopback();
    final byte[] message = new byte[Loopback.PING_SIZE];
    final byte[] reply = new byte[Loopback.PING_SIZE];
    OutputStream out;
    InputStream in;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      Connection c = connect(transport, lb);
      lb.echo(c.theirs());
      out = c.mine().getOutputStream();
      in = c.mine().getInputStream();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      lb.closeAll();
    }
  }

  @State(Scope.Thread)
  public static class Connect {
    @Param({"plain-tcp", "shim-nomatch", "shim-mptcp"})
    public String transport;

    final Loopback lb = new Loopback();
    SocketFactory factory;
    ServerSocket server;
    int port;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      switch (transport) {
        case "plain-tcp" -> {
          factory = SocketFactory.getDefault();
          server = lb.track(new ServerSocket(0, 128, Loopback.LOOPBACK));
        }
        case "shim-nomatch" -> {
          factory = lb.track(noMatchShim()).socketFactory();
          server = lb.track(new ServerSocket(0, 128, Loopback.LOOPBACK));
        }
        case "shim-mptcp" -> {
          SdpShim shim = lb.track(loopbackMptcpShim());
          factory = shim.socketFactory();
          server = lb.track(shim.serverSocketFactory().createServerSocket(0, 128, Loopback.LOOPBACK));
        }
        default -> throw new IllegalArgumentException("unknown transport " + transport);
      }
      port = server.getLocalPort();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      lb.closeAll();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void stream(Stream s) throws IOException {
    s.out.write(s.chunk);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte pingPong(Ping p) throws IOException {
    p.out.write(p.message);
    if (!Loopback.readFully(p.in, p.reply)) {
      throw new IOException("echo peer closed");
    }
    return p.reply[0];
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void connectAccept(Connect c) throws IOException {
    Socket s = c.factory.createSocket(Loopback.LOOPBACK, c.port);
    Socket a = c.server.accept();
    s.setSoLinger(true, 0);
    s.close();
    a.close();
  }
}
