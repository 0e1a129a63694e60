package dev.sdpshim.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An application's own plain JDK sockets on 127.0.0.1 ({@code new Socket}, {@code ServerSocket}; no
 * shim API), with and without the agent: {@link AgentOffBenchmark} forks a JVM without it,
 * {@link AgentOnBenchmark} one with {@code -javaagent} and a 1 000-rule {@code com.sun.sdp.conf}
 * ({@link RuleSetGenerator}) that matches nothing on loopback, so every bind and connect goes
 * through the agent's hook and lookup and stays TCP. {@code connectAccept}: connect, accept, close
 * with SO_LINGER 0 (ops/s). {@code pingPong}: 64 bytes and their echo (us per round trip).
 *
 * <p>JMH annotations take constants only, so the On fork names its files relative to the working
 * directory: {@code bench/run} runs JMH from {@code bench/} after putting the agent jar and the
 * rules at {@value #AGENT_JAR} and {@value #AGENT_CONF} (its {@code main} writes the rules).
 *
 * <p>Issue target: On/Off &gt;= 0.95 for both.
 */
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public abstract class AgentOverheadBenchmark {
  static final String AGENT_JAR = "target/agent-bench/shim-agent.jar";
  static final String AGENT_CONF = "target/agent-bench/sdp.conf";

  private final Loopback lb = new Loopback();
  private ServerSocket connectServer;
  private int connectPort;
  private final byte[] message = new byte[Loopback.PING_SIZE];
  private final byte[] reply = new byte[Loopback.PING_SIZE];
  private OutputStream out;
  private InputStream in;

  /** Whether this fork is expected to run under the agent. */
  abstract boolean agent();

  /** Writes the 1 000-rule file the On fork's agent reads: {@code AgentOverheadBenchmark FILE}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: AgentOverheadBenchmark sdp.conf");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, RuleSetGenerator.generate(Transport.RULES).text());
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    boolean bridge;
    try {
      Class.forName("sun.nio.ch.SdpShimBridge", false, null);
      bridge = true;
    } catch (ClassNotFoundException e) {
      bridge = false;
    }
    if (bridge != agent()) {
      throw new IllegalStateException(getClass().getSimpleName() + ": the agent is " + (bridge ? "" : "not ")
          + "installed in this fork (run through bench/run, which runs JMH from bench/ with " + AGENT_JAR + ")");
    }
    connectServer = lb.track(new ServerSocket(0, 128, Loopback.LOOPBACK));
    connectPort = connectServer.getLocalPort();

    ServerSocket echoServer = lb.track(new ServerSocket(0, 50, Loopback.LOOPBACK));
    Socket client = lb.track(new Socket());
    client.connect(new InetSocketAddress(Loopback.LOOPBACK, echoServer.getLocalPort()));
    client.setTcpNoDelay(true);
    lb.echo(lb.accept(echoServer));
    out = client.getOutputStream();
    in = client.getInputStream();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    lb.closeAll();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void connectAccept() throws IOException {
    Loopback.acceptAndReset(connectServer, new Socket(Loopback.LOOPBACK, connectPort));
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte pingPong() throws IOException {
    out.write(message);
    if (!Peer.readFully(in, reply)) {
      throw new IOException("echo peer closed");
    }
    return reply[0];
  }
}
