package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.IPV6;
import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static dev.sdpshim.shim.Loopback.protocolOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** This kernel has no SDP (EAFNOSUPPORT): what each fallback policy does with matched sockets. */
class FallbackPolicyTest {
  private static final String SDP_UNAVAILABLE_ADVICE = "; sockets stay TCP. Load the kernel's SDP"
      + " support (ib_sdp) or set -Dsdpshim.protocol=mptcp|tcp";

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void tcpPolicyConnectsOverTcpAndCountsTheFallback(String host) throws Exception {
    InetAddress address = InetAddress.getByName(host);
    try (Shims.Captured s = Shims.shim(Protocol.SDP, Fallback.TCP, "connect " + host + " *");
        ServerSocket server = new ServerSocket(0, 50, address);
        Socket client = s.shim.socketFactory().createSocket(address, server.getLocalPort());
        Socket peer = server.accept()) {
      assertEquals(Libc.IPPROTO_TCP, protocolOf(SocketDescriptors.fd(client)));
      Loopback.exchange(client, peer);
      ShimStatistics stats = s.stats();
      assertEquals(new ShimStatistics.RuleCounts(1, "connect " + host + " *",
          dev.sdpshim.conf.Action.CONNECT, 1, 0, 1, 0), stats.rule(1));
      assertEquals(new ShimStatistics.ProtocolCounts(Protocol.TCP, 1, 1),
          stats.protocols().get(Protocol.TCP));
      assertEquals(0, stats.protocols().get(Protocol.SDP).total());
      String shown = address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]" : host;
      assertEquals(List.of("CONNECT to " + shown + ":" + server.getLocalPort()
          + " (SDP not available: EAFNOSUPPORT; socket stays TCP)"), s.debugLines());
    }
  }

  @Test
  void tcpPolicyWarnsOncePerRuleNamingTheErrnoAndWhatToDo() throws Exception {
    try (Shims.Captured s = Shims.shim(Protocol.SDP, Fallback.TCP,
            "bind 127.0.0.1 *", "connect 127.0.0.1 1024-*");
        ServerSocket server = new ServerSocket(0, 50, IPV4)) {
      for (int i = 0; i < 3; i++) {
        try (Socket bound = s.shim.socketFactory().createSocket()) {
          bound.bind(new InetSocketAddress(IPV4, 0));
        }
        s.shim.socketFactory().createSocket(IPV4, server.getLocalPort()).close();
        server.accept().close();
      }
      assertEquals(List.of(
          "SDP not available (EAFNOSUPPORT: Address family not supported by protocol) for rule"
              + " line 1 'bind 127.0.0.1 *'" + SDP_UNAVAILABLE_ADVICE,
          "SDP not available (EAFNOSUPPORT: Address family not supported by protocol) for rule"
              + " line 2 'connect 127.0.0.1 1024-*'" + SDP_UNAVAILABLE_ADVICE), s.warnings());
      assertEquals(3, s.stats().rule(1).fellBack());
      assertEquals(3, s.stats().rule(2).fellBack());
      assertEquals(0, s.stats().protocols().get(Protocol.TCP).open(), "all closed");
      assertEquals(6, s.stats().protocols().get(Protocol.TCP).total());
    }
  }

  @Test
  void failPolicyFailsTheConnectWithTheRuleTheProtocolAndTheErrno() throws Exception {
    try (Shims.Captured s = Shims.shim(Protocol.SDP, Fallback.FAIL, "connect 127.0.0.1 1024-*");
        ServerSocket server = new ServerSocket(0, 50, IPV4);
        Socket client = s.shim.socketFactory().createSocket()) {
      int port = server.getLocalPort();
      SocketException e = assertThrows(SocketException.class,
          () -> client.connect(new InetSocketAddress(IPV4, port), TIMEOUT_MS));
      assertEquals("Rule line 1 'connect 127.0.0.1 1024-*' matched CONNECT to 127.0.0.1:" + port
          + " but SDP is not available: EAFNOSUPPORT (Address family not supported by protocol)",
          e.getMessage());
      NativeCallException cause = assertInstanceOf(NativeCallException.class, e.getCause());
      assertEquals(97, cause.errno());
      assertTrue(client.isClosed(), "a failed connect closes the socket, as in the JDK");
      assertEquals(1, s.stats().rule(1).failed());
      assertEquals(0, s.stats().rule(1).fellBack());
      assertEquals(List.of("CONNECT to 127.0.0.1:" + port
          + " (SDP not available: EAFNOSUPPORT; connect fails)"), s.debugLines());
      assertEquals(List.of(), s.warnings());
    }
  }

  @Test
  void failPolicyFailsTheBindOfAListener() throws Exception {
    try (Shims.Captured s = Shims.shim(Protocol.SDP, Fallback.FAIL, "bind ::1 *")) {
      SocketException e = assertThrows(SocketException.class,
          () -> s.shim.serverSocketFactory().createServerSocket(0, 50, IPV6));
      assertEquals("Rule line 1 'bind ::1 *' matched BIND to [0:0:0:0:0:0:0:1]:0 but SDP is not"
          + " available: EAFNOSUPPORT (Address family not supported by protocol)", e.getMessage());
      assertEquals(1, s.stats().rule(1).failed());
    }
  }

  @Test
  void failPolicyFailsChannelConnectsAndClosesTheChannels() throws Exception {
    try (Shims.Captured s = Shims.shim(Protocol.SDP, Fallback.FAIL, "connect 127.0.0.1 *");
        ServerSocket server = new ServerSocket(0, 50, IPV4);
        SocketChannel channel = s.shim.openSocketChannel();
        AsynchronousSocketChannel async = s.shim.openAsynchronousSocketChannel(null)) {
      InetSocketAddress remote = new InetSocketAddress(IPV4, server.getLocalPort());
      IOException sync = assertThrows(SocketException.class, () -> s.shim.connect(channel, remote));
      assertTrue(sync.getMessage().startsWith("Rule line 1 'connect 127.0.0.1 *' matched CONNECT"));
      assertFalse(channel.isOpen());
      ExecutionException failed = assertThrows(ExecutionException.class,
          () -> s.shim.connect(async, remote).get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
      assertEquals(sync.getMessage(), failed.getCause().getMessage());
      assertFalse(async.isOpen());
      assertEquals(2, s.stats().rule(1).failed());
    }
  }

  /**
   * A conversion can fail for one socket while the protocol exists: MPTCP refuses SO_OOBINLINE,
   * so a socket that set it cannot become MPTCP. Under the tcp policy it stays TCP, warned once.
   */
  @Test
  void socketThatCannotBeConvertedFallsBackWhenTheProtocolExists() throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *");
        ServerSocket server = new ServerSocket(0, 50, IPV4)) {
      for (int i = 0; i < 2; i++) {
        try (Socket client = s.shim.socketFactory().createSocket()) {
          client.setOOBInline(true);
          client.connect(server.getLocalSocketAddress(), TIMEOUT_MS);
          server.accept().close();
          assertEquals(Libc.IPPROTO_TCP, protocolOf(SocketDescriptors.fd(client)));
        }
      }
      assertEquals(2, s.stats().rule(1).fellBack());
      assertEquals(1, s.warnings().size());
      String warning = s.warnings().get(0);
      assertTrue(warning.startsWith("Conversion to MPTCP failed for rule line 1 'connect 127.0.0.1 *'"
          + " (setsockopt("), warning);
      assertTrue(warning.contains("SO_OOBINLINE, [1]) failed: EOPNOTSUPP"), warning);
      assertTrue(s.debugLines().get(0).endsWith("(conversion to MPTCP failed: EOPNOTSUPP; socket stays TCP)"),
          s.debugLines().get(0));
    }
  }
}
