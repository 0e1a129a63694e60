package dev.sdpshim.shim;

import dev.sdpshim.bench.RuleSetGenerator;
import dev.sdpshim.conf.Action;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What the agent adds to one connect, piece by piece, on an unbound TCP socket that is never
 * connected (so every call sees the same state): {@code hookedConnect} is the whole hook the
 * agent's bridge calls ({@link GuardedHook#beforeConnect}) with the 1 000-rule config that
 * matches nothing on loopback; the others are its parts. White-box: it lives in the shim's package
 * to reach the package-private hook, and needs the shim's JVM flags.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-opens", "java.base/java.io=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
@State(Scope.Thread)
public class HookCostBenchmark {
  private static final int RULES = 1000;
  private SdpShim shim;
  private GuardedHook hook;
  private SocketChannel channel;
  private FileDescriptor descriptor;
  private int fd;
  private final InetAddress loopback = InetAddress.getLoopbackAddress();
  private int port;
  private ServerSocketChannel listener;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String rules = RuleSetGenerator.generate(RULES).text();
    shim = SdpShim.builder().name("bench-hook").protocol(Protocol.MPTCP).fallback(Fallback.TCP)
        .config(RuleSetGenerator.offlineParser().parse(rules, "generated-" + RULES)).build();
    hook = new GuardedHook(new DecisionHook(shim));
    channel = SocketChannel.open();
    fd = SocketDescriptors.fd(channel);
    descriptor = new FileDescriptor();
    Field field = FileDescriptor.class.getDeclaredField("fd");
    field.setAccessible(true);
    field.setInt(descriptor, fd);
    listener = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
    port = listener.socket().getLocalPort();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    channel.close();
    listener.close();
    shim.close();
  }

  /** As the JDK's socket classes call it: the socket object says whether it is bound. */
  @Benchmark
  public void hookedConnect() throws IOException {
    hook.beforeConnect(descriptor, loopback, port, channel);
  }

  /** Without the socket object: the hook asks the kernel (getsockname) whether it is bound. */
  @Benchmark
  public void hookedConnectAskingTheKernel() throws IOException {
    hook.beforeConnect(descriptor, loopback, port, null);
  }

  @Benchmark
  public int getsockopt() throws IOException {
    return Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_PROTOCOL);
  }

  @Benchmark
  public int getsockname() throws IOException {
    return Libc.localPort(fd);
  }

  @Benchmark
  public Object decide() throws IOException {
    return shim.policy().decide(Action.CONNECT, loopback, port, false, () -> fd, null);
  }

  @Benchmark
  public Object judgedScope() throws IOException {
    return JudgedScope.run(() -> this);
  }
}
