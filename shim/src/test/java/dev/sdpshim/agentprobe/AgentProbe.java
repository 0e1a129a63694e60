package dev.sdpshim.agentprobe;

import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ordinary application, run by {@code AgentIT} in a child JVM that has only the agent and
 * the flags (no --add-opens, no shim API): it uses the JDK's socket APIs and prints, one
 * {@code RESULT} line per socket, the protocol the kernel reports. The parent asserts.
 */
public final class AgentProbe {
  private static final int TIMEOUT_S = 10;
  private static final int SOCK_STREAM = 1;
  private static final int SOCK_DGRAM = 2;
  private static final byte[] PING = "ping".getBytes();

  private AgentProbe() {
  }

  public static void main(String[] args) throws Exception {
    System.out.println("MAIN RAN");
    switch (args.length == 0 ? "" : args[0]) {
      case "matrix" -> matrix();
      case "connect" -> connectOnce(InetAddress.getByName(args[1]));
      case "factory" -> factoryConnectOnce(InetAddress.getByName(args[1]));
      case "untouched" -> untouched(Path.of(args[1]));
      case "many" -> many(Integer.parseInt(args[1]));
      case "attach" -> attach(args[1]);
      default -> { }
    }
    System.out.println("MAIN DONE");
  }

  // ---- the socket-API matrix ----

  private enum Api {
    IO, NIO, ASYNC
  }

  private static void matrix() throws Exception {
    for (Api api : Api.values()) {
      String a = api.name().toLowerCase();
      run(a + " listen-rule-port0", api, "127.0.0.2", null, "127.0.0.2");
      run(a + " listen-norule", api, "127.0.0.1", null, "127.0.0.1");
      run(a + " listen-wildcard", api, null, null, "127.0.0.1");
      run(a + " connect-rule-implicit-bind", api, "127.0.0.3", null, "127.0.0.3");
      run(a + " bind-before-connect", api, "127.0.0.3", "127.0.0.4", "127.0.0.3");
      run(a + " bound-client-bind-rule", api, "127.0.0.1", "127.0.0.2", "127.0.0.1");
    }
    httpClient();
  }

  /**
   * A listener of {@code api} bound to {@code listenAt} (null: the wildcard, no address given),
   * port 0; a client of the same API, bound first to {@code clientBind} if given, connecting to
   * {@code target}:port; data each way; the protocol of all three sockets.
   */
  private static void run(String label, Api api, String listenAt, String clientBind,
      String target) throws Exception {
    try (Listener listener = listen(api, listenAt == null ? null : InetAddress.getByName(listenAt));
        Conn client = connect(api, clientBind == null ? null : InetAddress.getByName(clientBind),
            new InetSocketAddress(InetAddress.getByName(target), listener.port()));
        Conn accepted = listener.accept()) {
      client.send(PING);
      check(accepted.receive(PING.length));
      accepted.send(PING);
      check(client.receive(PING.length));
      System.out.println("RESULT " + label
          + " listener=" + Sockets.option(SOCK_STREAM, listener.port(), 0, Sockets.SO_PROTOCOL)
          + " client=" + Sockets.option(SOCK_STREAM, client.localPort(), listener.port(),
              Sockets.SO_PROTOCOL)
          + " accepted=" + Sockets.option(SOCK_STREAM, listener.port(), client.localPort(),
              Sockets.SO_PROTOCOL)
          + " data=ok");
    }
  }

  /** The JDK's HttpClient against its HttpServer, on a connect-rule address. */
  private static void httpClient() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.3", 0), 0);
    AtomicInteger clientPort = new AtomicInteger();
    server.createContext("/", exchange -> {
      clientPort.set(exchange.getRemoteAddress().getPort());
      exchange.sendResponseHeaders(200, PING.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(PING);
      }
    });
    server.start();
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(TIMEOUT_S)).build()) {
      int port = server.getAddress().getPort();
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.3:" + port + "/")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      check(response.body());
      // The connection stays in the client's pool: its socket is still there to ask.
      System.out.println("RESULT httpclient connect-rule client="
          + Sockets.option(SOCK_STREAM, clientPort.get(), port, Sockets.SO_PROTOCOL)
          + " data=ok");
    } finally {
      server.stop(0);
    }
  }

  // ---- single connect, for the JDK-provider check ----

  private static void connectOnce(InetAddress address) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, address);
        Socket client = new Socket(address, listener.getLocalPort());
        Socket accepted = listener.accept()) {
      client.getOutputStream().write(PING);
      check(accepted.getInputStream().readNBytes(PING.length));
      System.out.println("RESULT connect " + address.getHostAddress() + " client="
          + Sockets.option(SOCK_STREAM, client.getLocalPort(), listener.getLocalPort(),
              Sockets.SO_PROTOCOL) + " data=ok");
    }
  }

  /** As connectOnce, through the shim's default socket factory instead of new Socket(...). */
  private static void factoryConnectOnce(InetAddress address) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, address);
        Socket client = dev.sdpshim.shim.ShimSocketFactory.getDefault().createSocket(address, listener.getLocalPort());
        Socket accepted = listener.accept()) {
      client.getOutputStream().write(PING);
      check(accepted.getInputStream().readNBytes(PING.length));
      System.out.println("RESULT factory " + address.getHostAddress() + " client="
          + Sockets.option(SOCK_STREAM, client.getLocalPort(), listener.getLocalPort(),
              Sockets.SO_PROTOCOL) + " data=ok");
    }
  }

  // ---- UDP and Unix-domain sockets, with rules that match everything ----

  private static void untouched(Path dir) throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
      int bPort = ((InetSocketAddress) b.getLocalAddress()).getPort();
      int aPort = ((InetSocketAddress) a.getLocalAddress()).getPort();
      a.connect(b.getLocalAddress());
      a.write(ByteBuffer.wrap(PING));
      ByteBuffer in = ByteBuffer.allocate(PING.length);
      b.receive(in);
      check(in.array());
      System.out.println("RESULT udp protocol="
          + Sockets.option(SOCK_DGRAM, aPort, bPort, Sockets.SO_PROTOCOL) + " type="
          + Sockets.option(SOCK_DGRAM, aPort, bPort, Sockets.SO_TYPE) + " data=ok");
    }
    Path path = dir.resolve("probe.sock");
    Files.deleteIfExists(path);
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
            .bind(address);
        SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
        SocketChannel accepted = connectAndAccept(client, address, listener)) {
      client.write(ByteBuffer.wrap(PING));
      ByteBuffer in = ByteBuffer.allocate(PING.length);
      while (in.hasRemaining() && accepted.read(in) > 0) {
        // fill
      }
      check(in.array());
      System.out.println("RESULT unix domain=" + Sockets.unixOption(path, Sockets.SO_DOMAIN)
          + " protocol=" + Sockets.unixOption(path, Sockets.SO_PROTOCOL) + " data=ok");
    } finally {
      Files.deleteIfExists(path);
    }
    run("io tcp-control", Api.IO, "127.0.0.1", null, "127.0.0.1");
  }

  private static SocketChannel connectAndAccept(SocketChannel client, SocketAddress address,
      ServerSocketChannel listener) throws IOException {
    client.connect(address);
    return listener.accept();
  }

  // ---- many connections ----

  private static void many(int count) throws Exception {
    long start = System.nanoTime();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    int protocol = -1;
    try (ServerSocket listener = new ServerSocket(0, 1000, loopback)) {
      for (int i = 0; i < count; i++) {
        try (Socket client = new Socket(loopback, listener.getLocalPort());
            Socket accepted = listener.accept()) {
          client.getOutputStream().write(i);
          if (accepted.getInputStream().read() != (i & 0xff)) {
            throw new IOException("wrong byte at connection " + i);
          }
          if (i == count - 1) {
            protocol = Sockets.option(SOCK_STREAM, client.getLocalPort(),
                listener.getLocalPort(), Sockets.SO_PROTOCOL);
          }
        }
      }
    }
    System.out.println("RESULT many count=" + count + " last=" + protocol + " ms="
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " data=ok");
  }

  // ---- dynamic attach ----

  private static void attach(String agentJar) throws Exception {
    connectOnce(InetAddress.getByName("127.0.0.1")); // before: the JDK's NetHooks is initialised
    com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(
        Long.toString(ProcessHandle.current().pid()));
    try {
      vm.loadAgent(agentJar);
      System.out.println("ATTACHED");
    } catch (com.sun.tools.attach.AgentInitializationException e) {
      System.out.println("ATTACH REFUSED");
    } finally {
      vm.detach();
    }
    connectOnce(InetAddress.getByName("127.0.0.3"));
  }

  // ---- the three APIs behind one face ----

  private interface Listener extends Closeable {
    int port() throws IOException;

    Conn accept() throws Exception;
  }

  private interface Conn extends Closeable {
    int localPort() throws IOException;

    void send(byte[] data) throws Exception;

    byte[] receive(int n) throws Exception;
  }

  private static Listener listen(Api api, InetAddress at) throws IOException {
    SocketAddress local = at == null ? null : new InetSocketAddress(at, 0);
    switch (api) {
      case IO -> {
        ServerSocket s = new ServerSocket();
        s.bind(local);
        return new Listener() {
          public int port() {
            return s.getLocalPort();
          }

          public Conn accept() throws IOException {
            s.setSoTimeout(TIMEOUT_S * 1000);
            return io(s.accept());
          }

          public void close() throws IOException {
            s.close();
          }
        };
      }
      case NIO -> {
        ServerSocketChannel s = ServerSocketChannel.open().bind(local);
        return new Listener() {
          public int port() throws IOException {
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
          }

          public Conn accept() throws IOException {
            return io(s.accept().socket());
          }

          public void close() throws IOException {
            s.close();
          }
        };
      }
      default -> {
        AsynchronousServerSocketChannel s = AsynchronousServerSocketChannel.open().bind(local);
        return new Listener() {
          public int port() throws IOException {
            return ((InetSocketAddress) s.getLocalAddress()).getPort();
          }

          public Conn accept() throws Exception {
            return async(s.accept().get(TIMEOUT_S, TimeUnit.SECONDS));
          }

          public void close() throws IOException {
            s.close();
          }
        };
      }
    }
  }

  private static Conn connect(Api api, InetAddress bindTo, InetSocketAddress target)
      throws Exception {
    SocketAddress local = bindTo == null ? null : new InetSocketAddress(bindTo, 0);
    switch (api) {
      case IO -> {
        Socket s = new Socket();
        if (local != null) {
          s.bind(local);
        }
        s.connect(target, TIMEOUT_S * 1000);
        return io(s);
      }
      case NIO -> {
        SocketChannel s = SocketChannel.open();
        if (local != null) {
          s.bind(local);
        }
        s.connect(target);
        return io(s.socket());
      }
      default -> {
        AsynchronousSocketChannel s = AsynchronousSocketChannel.open();
        if (local != null) {
          s.bind(local);
        }
        s.connect(target).get(TIMEOUT_S, TimeUnit.SECONDS);
        return async(s);
      }
    }
  }

  private static Conn io(Socket s) throws IOException {
    s.setSoTimeout(TIMEOUT_S * 1000);
    return new Conn() {
      public int localPort() {
        return s.getLocalPort();
      }

      public void send(byte[] data) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(data);
        out.flush();
      }

      public byte[] receive(int n) throws IOException {
        InputStream in = s.getInputStream();
        return in.readNBytes(n);
      }

      public void close() throws IOException {
        s.close();
      }
    };
  }

  private static Conn async(AsynchronousSocketChannel s) {
    return new Conn() {
      public int localPort() throws IOException {
        return ((InetSocketAddress) s.getLocalAddress()).getPort();
      }

      public void send(byte[] data) throws Exception {
        ByteBuffer out = ByteBuffer.wrap(data);
        while (out.hasRemaining()) {
          s.write(out).get(TIMEOUT_S, TimeUnit.SECONDS);
        }
      }

      public byte[] receive(int n) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(n);
        while (in.hasRemaining()) {
          if (s.read(in).get(TIMEOUT_S, TimeUnit.SECONDS) < 0) {
            throw new IOException("EOF");
          }
        }
        return in.array();
      }

      public void close() throws IOException {
        s.close();
      }
    };
  }

  private static void check(byte[] received) throws IOException {
    if (!Arrays.equals(PING, received)) {
      throw new IOException("received " + Arrays.toString(received));
    }
  }
}
