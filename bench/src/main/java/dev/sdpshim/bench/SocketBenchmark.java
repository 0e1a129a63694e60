package dev.sdpshim.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Sockets of each {@link Transport} against a {@link Target}, side by side in one run:
 * <ul>
 *   <li>{@code stream}: one write of {@code size} bytes per op while the peer discards (ops/s;
 *       the report turns it into MB/s);
 *   <li>{@code pingPong}: {@code size} bytes and their echo, sampled per round trip (JMH
 *       SampleTime: the report shows p50, p99 and p99.9);
 *   <li>{@code connectAccept}: a new connection, accepted by the peer and answered with one byte,
 *       then reset (ops/s).
 * </ul>
 * {@code target} is {@code loopback} (a peer in this JVM on 127.0.0.1) or the {@code HOST[:PORT]}
 * of a peer started with {@code bench/run --server}. A transport that cannot run against the
 * target fails its setup with the reason (recorded by {@link Skips}); it never measures TCP in
 * its place.
 *
 * <p>Issue targets: stream and pingPong shim-nomatch/plain-tcp and shim-mptcp/plain-mptcp
 * &gt;= 0.98; connectAccept shim-nomatch/plain-tcp &gt;= 0.95.
 */
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-opens", "java.base/java.io=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class SocketBenchmark {
  /**
   * The client of a trial: the peer listener of the transport's wire at the target, and sockets
   * of the transport connecting to it ({@link Transport#connector} for the connect rate). A
   * transport that cannot run is recorded with its reason and fails the setup.
   */
  static Transport.Client client(BenchmarkParams params, String transport, String target, Trial trial,
      boolean connectRate) throws IOException {
    try {
      Transport t = Transport.of(transport);
      var listener = Target.parse(target).listener(t.wire(), trial);
      return connectRate ? t.connector(listener, trial) : t.client(listener, trial);
    } catch (TransportUnavailableException e) {
      throw Skips.record(params, e.getMessage());
    }
  }

  @State(Scope.Thread)
  public static class Stream {
    @Param({"plain-tcp", "shim-nomatch", "plain-mptcp", "shim-mptcp", "shim-sdp"})
    public String transport;
    @Param({"64", "1024", "16384", "65536", "262144", "1048576"})
    public int size;
    @Param(Target.LOOPBACK)
    public String target;

    final Trial trial = new Trial();
    byte[] chunk;
    OutputStream out;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
      chunk = new byte[size];
      Socket s = trial.track(client(params, transport, target, trial, false).connect());
      Peer.requestSink(s);
      out = s.getOutputStream();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      trial.closeAll();
    }
  }

  @State(Scope.Thread)
  public static class Ping {
    @Param({"plain-tcp", "shim-nomatch", "plain-mptcp", "shim-mptcp", "shim-sdp"})
    public String transport;
    @Param({"64", "1024", "16384", "65536", "262144", "1048576"})
    public int size;
    @Param(Target.LOOPBACK)
    public String target;

    final Trial trial = new Trial();
    byte[] message;
    byte[] reply;
    OutputStream out;
    InputStream in;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
      message = new byte[size];
      reply = new byte[size];
      Socket s = trial.track(client(params, transport, target, trial, false).connect());
      Peer.requestEcho(s, size);
      out = s.getOutputStream();
      in = s.getInputStream();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      trial.closeAll();
    }
  }

  @State(Scope.Thread)
  public static class Connect {
    @Param({"plain-tcp", "shim-nomatch", "plain-mptcp", "shim-mptcp", "shim-sdp"})
    public String transport;
    @Param(Target.LOOPBACK)
    public String target;

    final Trial trial = new Trial();
    Transport.Client client;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
      client = client(params, transport, target, trial, true);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      trial.closeAll();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void stream(Stream s) throws IOException {
    s.out.write(s.chunk);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte pingPong(Ping p) throws IOException {
    p.out.write(p.message);
    if (!Peer.readFully(p.in, p.reply)) {
      throw new IOException("echo peer closed");
    }
    return p.reply[0];
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void connectAccept(Connect c) throws IOException {
    Peer.probeAccept(c.client.connect());
  }
}
