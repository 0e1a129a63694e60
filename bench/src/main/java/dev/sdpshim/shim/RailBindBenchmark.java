package dev.sdpshim.shim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

/**
 * What {@code IP_BIND_ADDRESS_NO_PORT} costs a railed connect, taken apart: a plain socket bound
 * to 127.0.0.1 port 0 and connected (with a timeout, as rails connect), accepted and closed with
 * SO_LINGER 0, as a rail's connect does it ({@code connectAccept}, by {@code bind}):
 * <ul>
 *   <li>{@code port0}: the bind picks the port (what rails do without the option);</li>
 *   <li>{@code port0-fd}: the same, plus the descriptor lookup ({@link SocketDescriptors#fd});</li>
 *   <li>{@code port0-getsockopt}: plus the lookup and an FFM {@code getsockopt} of the option;</li>
 *   <li>{@code port0-setsockopt}: plus the lookup and an FFM
 *       {@code setsockopt(IP_BIND_ADDRESS_NO_PORT, 0)}: the call's cost with the kernel's port
 *       choice unchanged;</li>
 *   <li>{@code noport}: {@code setsockopt(IP_BIND_ADDRESS_NO_PORT, 1)}: the bind leaves the port
 *       to the connect, which picks one unique per destination.</li>
 * </ul>
 * And the pieces alone on one open socket: {@code descriptor} ({@link SocketDescriptors#fd}) and
 * {@code setsockopt} ({@link Libc#setsockopt}). In the shim's package to reach them.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED",
    "--add-opens", "java.base/java.io=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class RailBindBenchmark {

  @State(Scope.Thread)
  public static class Connect {
    @Param({"port0", "port0-fd", "port0-getsockopt", "port0-setsockopt", "noport"})
    public String bind;

    final InetAddress loopback = InetAddress.getLoopbackAddress();
    InetSocketAddress local;
    InetSocketAddress remote;
    ServerSocket server;
    /** The option's value to set; -1: none (then {@link #touch} says what else). */
    int noPort;
    /** 0: nothing, 1: the descriptor lookup, 2: the lookup and a getsockopt. */
    int touch;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(loopback, 0), 128);
      local = new InetSocketAddress(loopback, 0);
      remote = new InetSocketAddress(loopback, server.getLocalPort());
      noPort = switch (bind) {
        case "port0", "port0-fd", "port0-getsockopt" -> -1;
        case "port0-setsockopt" -> 0;
        case "noport" -> 1;
        default -> throw new IllegalArgumentException("unknown bind " + bind);
      };
      touch = bind.equals("port0-fd") ? 1 : bind.equals("port0-getsockopt") ? 2 : 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      server.close();
    }
  }

  @State(Scope.Thread)
  public static class Open {
    Socket socket;
    int fd;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      socket = new Socket();
      fd = SocketDescriptors.fd(socket);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      socket.close();
    }
  }

  @Benchmark
  public int connectAccept(Connect c) throws IOException {
    Socket s = new Socket();
    int seen = 0;
    if (c.noPort >= 0) {
      Libc.setsockopt(SocketDescriptors.fd(s), Libc.IPPROTO_IP, Libc.IP_BIND_ADDRESS_NO_PORT, c.noPort);
    } else if (c.touch == 1) {
      seen = SocketDescriptors.fd(s);
    } else if (c.touch == 2) {
      seen = Libc.getsockoptInt(SocketDescriptors.fd(s), Libc.IPPROTO_IP, Libc.IP_BIND_ADDRESS_NO_PORT);
    }
    s.bind(c.local);
    s.connect(c.remote, 1000);
    Socket a = c.server.accept();
    s.setSoLinger(true, 0);
    s.close();
    a.close();
    return seen;
  }

  @Benchmark
  public int descriptor(Open o) throws IOException {
    return SocketDescriptors.fd(o.socket);
  }

  @Benchmark
  public void setsockopt(Open o) throws IOException {
    Libc.setsockopt(o.fd, Libc.IPPROTO_IP, Libc.IP_BIND_ADDRESS_NO_PORT, 0);
  }

  /** The same option read back: the reference for an FFM socket-option call. */
  @Benchmark
  public int getsockopt(Open o) throws IOException {
    return Libc.getsockoptInt(o.fd, Libc.IPPROTO_IP, Libc.IP_BIND_ADDRESS_NO_PORT);
  }
}
