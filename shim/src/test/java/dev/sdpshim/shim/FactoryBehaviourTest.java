package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static dev.sdpshim.shim.Loopback.protocolOf;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

/** What the factories add to plain sockets, beyond the rule semantics of RuleSemanticsTest. */
class FactoryBehaviourTest {
  /** Under every rmem_max/wmem_max default, so the kernel stores exactly twice this. */
  private static final int BUFFER = 100_000;

  @Test
  void optionsSetBeforeAConnectThatConvertsAreInForceAfterIt() throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *");
        ServerSocket server = new ServerSocket(0, 50, IPV4);
        Socket client = s.shim.socketFactory().createSocket()) {
      client.setTcpNoDelay(true);
      client.setKeepAlive(true);
      client.setReceiveBufferSize(BUFFER);
      client.setSendBufferSize(BUFFER);
      client.setSoLinger(true, 3);
      int fd = SocketDescriptors.fd(client);
      client.connect(server.getLocalSocketAddress(), TIMEOUT_MS);
      try (Socket peer = server.accept()) {
        assertAll(
            () -> assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd)),
            () -> assertEquals(1, Libc.getsockoptInt(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY)),
            () -> assertEquals(1, Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE)),
            () -> assertEquals(2 * BUFFER, Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF)),
            () -> assertEquals(2 * BUFFER, Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF)),
            () -> assertArrayEquals(new int[] {1, 3},
                Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, 2)));
        Loopback.exchange(client, peer);
      }
    }
  }

  /** java.net.Socket connects a wildcard address to the local host; the rule sees that address. */
  @Test
  void socketConnectToTheWildcardIsJudgedAsTheLocalHost() throws Exception {
    InetAddress localHost = InetAddress.getLocalHost();
    try (Shims.Captured s = Shims.mptcp("connect " + localHost.getHostAddress() + " *");
        ServerSocket server = new ServerSocket(0);
        Socket client = s.shim.socketFactory().createSocket("0.0.0.0", server.getLocalPort());
        Socket peer = server.accept()) {
      assertEquals(Libc.IPPROTO_MPTCP, protocolOf(SocketDescriptors.fd(client)));
      assertEquals(List.of("CONNECT to " + localHost.getHostAddress() + ":" + server.getLocalPort()
          + " (socket converted to MPTCP protocol)"), s.debugLines());
    }
  }

  /** SocketChannel connects a wildcard address to loopback of its family, and so judges it. */
  @Test
  void channelConnectToTheWildcardIsJudgedAsLoopback() throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *");
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(0));
        SocketChannel client = s.shim.openSocketChannel()) {
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      s.shim.connect(client, new InetSocketAddress("0.0.0.0", port));
      try (SocketChannel peer = server.accept()) {
        assertEquals(Libc.IPPROTO_MPTCP, protocolOf(SocketDescriptors.fd(client)));
        Loopback.exchange(client, peer);
      }
      assertEquals(List.of("CONNECT to 127.0.0.1:" + port + " (socket converted to MPTCP protocol)"),
          s.debugLines());
    }
  }

  @Test
  void dryRunMatchesAndCountsButConvertsNothing() throws Exception {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.FAIL, "connect 127.0.0.1 *");
        ServerSocket server = new ServerSocket(0, 50, IPV4);
        Socket client = s.shim.socketFactory().createSocket(IPV4, server.getLocalPort());
        Socket peer = server.accept()) {
      assertEquals(Libc.IPPROTO_TCP, protocolOf(SocketDescriptors.fd(client)));
      Loopback.exchange(client, peer);
      ShimStatistics stats = s.stats();
      assertEquals(1, stats.rule(1).matched());
      assertEquals(0, stats.rule(1).converted() + stats.rule(1).fellBack() + stats.rule(1).failed());
      assertEquals(new ShimStatistics.ProtocolCounts(Protocol.TCP, 1, 1), stats.protocols().get(Protocol.TCP));
      assertEquals(List.of("CONNECT to 127.0.0.1:" + server.getLocalPort()
          + " (dry run: rule line 1 matched; socket stays TCP)"), s.debugLines());
    }
  }

  /** With no com.sun.sdp.conf in this JVM, the default instance has no rules. */
  @Test
  void publicNoArgConstructorsAndGetDefaultUseTheInstanceFromSystemProperties() throws Exception {
    assertEquals(null, System.getProperty(SdpShim.CONF_PROPERTY), "test JVM must not set it");
    SocketFactory byName = (SocketFactory) Class.forName("dev.sdpshim.shim.ShimSocketFactory")
        .getConstructor().newInstance();
    ServerSocketFactory serverByName = (ServerSocketFactory)
        Class.forName("dev.sdpshim.shim.ShimServerSocketFactory").getConstructor().newInstance();
    assertInstanceOf(ShimSocketFactory.class, ShimSocketFactory.getDefault());
    assertSame(SdpShim.fromSystemProperties().socketFactory(), ShimSocketFactory.getDefault());
    assertSame(SdpShim.fromSystemProperties().serverSocketFactory(), ShimServerSocketFactory.getDefault());
    assertEquals("ShimSocketFactory[default]", byName.toString());
    SdpShim shim = SdpShim.fromSystemProperties();
    long before = shim.statistics().noMatch();
    try (ServerSocket server = serverByName.createServerSocket(0, 50, IPV4);
        Socket client = byName.createSocket(IPV4, server.getLocalPort());
        Socket peer = server.accept()) {
      assertEquals(Libc.IPPROTO_TCP, protocolOf(SocketDescriptors.fd(client)));
      Loopback.exchange(client, peer);
    }
    assertEquals(before + 2, shim.statistics().noMatch());
    assertEquals(List.of(), shim.statistics().rules());
    shim.close(); // ignored for the JVM-wide instance
    assertSame(shim, SdpShim.fromSystemProperties());
  }

  @Test
  void failedConnectOfAFactorySocketLeavesNothingOpen() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 50, IPV4)) {
      port = closed.getLocalPort();
    }
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *")) {
      org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class,
          () -> s.shim.socketFactory().createSocket(IPV4, port));
      assertEquals(1, s.stats().protocols().get(Protocol.MPTCP).total());
      assertEquals(0, s.stats().protocols().get(Protocol.MPTCP).open(), "closed by the factory");
    }
  }
}
