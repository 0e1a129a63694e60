package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.PLAIN_TCP;
import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static dev.sdpshim.shim.Loopback.exchange;
import static dev.sdpshim.shim.Loopback.identityOf;
import static dev.sdpshim.shim.Loopback.protocolOf;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Options set before a conversion are still in force afterwards, read back from the kernel. */
class OptionCopyTest {
  /** Under every rmem_max/wmem_max default, so the kernel stores exactly twice this. */
  private static final int BUFFER = 100_000;

  @Test
  void optionsSetBeforeConversionToMptcpAreInForceOnTheNewSocket() throws Exception {
    try (Socket socket = new Socket()) {
      socket.setReuseAddress(true);
      socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      socket.setSoLinger(true, 7);
      socket.setReceiveBufferSize(BUFFER);
      socket.setSendBufferSize(BUFFER);
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      int fd = SocketDescriptors.fd(socket);
      String before = identityOf(fd);

      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));

      assertNotEquals(before, identityOf(fd), "the descriptor must now hold another socket");
      assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd));
      assertAll(
          () -> assertEquals(1, option(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR), "SO_REUSEADDR"),
          () -> assertEquals(1, option(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT), "SO_REUSEPORT"),
          () -> assertArrayEquals(new int[] {1, 7},
              Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, 2), "SO_LINGER"),
          () -> assertEquals(2 * BUFFER, option(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF), "SO_RCVBUF"),
          () -> assertEquals(2 * BUFFER, option(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF), "SO_SNDBUF"),
          () -> assertEquals(1, option(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY), "TCP_NODELAY"),
          () -> assertEquals(1, option(fd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE), "SO_KEEPALIVE"));
    }
  }

  /**
   * Options the application never set are not written to the new socket: MPTCP refuses even
   * SO_OOBINLINE=0, so copying every option blindly would make every conversion fail.
   */
  @Test
  void untouchedOptionsThatMptcpRefusesDoNotStopTheConversion() throws Exception {
    try (Socket socket = new Socket()) {
      int fd = SocketDescriptors.fd(socket);
      int[] lingerBefore = Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, 2);
      assertEquals(0, option(fd, Libc.SOL_SOCKET, Libc.SO_OOBINLINE));
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      assertAll(
          () -> assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd)),
          () -> assertEquals(0, option(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT)),
          () -> assertEquals(0, option(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY)),
          () -> assertArrayEquals(lingerBefore,
              Libc.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_LINGER, 2)));
    }
  }

  /**
   * Linux reports twice the buffer size that was set; setting what was read would double it
   * at each conversion. Several conversions in a row make any such drift visible.
   */
  @Test
  void bufferSizesDoNotGrowAcrossRepeatedConversions() throws Exception {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(BUFFER);
      socket.setSendBufferSize(BUFFER);
      int fd = SocketDescriptors.fd(socket);
      assertEquals(2 * BUFFER, option(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF), "kernel doubles");
      for (ReplacementSocket target : new ReplacementSocket[] {
          Protocol.MPTCP.replacement(), PLAIN_TCP, Protocol.MPTCP.replacement(), PLAIN_TCP}) {
        assertTrue(SocketConverter.convert(fd, target));
        assertEquals(2 * BUFFER, option(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF));
        assertEquals(2 * BUFFER, option(fd, Libc.SOL_SOCKET, Libc.SO_SNDBUF));
      }
    }
  }

  @Test
  void listenerOptionsSurviveConversionOfAServerSocket() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.setReceiveBufferSize(BUFFER);
      int fd = SocketDescriptors.fd(server);
      assertEquals(1, option(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR), "the JDK sets it");
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      assertEquals(1, option(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR));
      assertEquals(2 * BUFFER, option(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void blockingModeOfASocketChannelSurvivesConversion(boolean blocking) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open();
        SocketChannel client = SocketChannel.open()) {
      server.bind(new InetSocketAddress(IPV4, 0));
      client.configureBlocking(blocking);
      int fd = SocketDescriptors.fd(client);
      int expected = blocking ? 0 : Libc.O_NONBLOCK;
      assertEquals(expected, Libc.fcntl(fd, Libc.F_GETFL) & Libc.O_NONBLOCK, "before");

      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));

      assertEquals(expected, Libc.fcntl(fd, Libc.F_GETFL) & Libc.O_NONBLOCK, "after");
      connect(client, server);
      try (SocketChannel peer = server.accept()) {
        client.configureBlocking(true);
        exchange(client, peer);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void closeOnExecFlagSurvivesConversion(boolean closeOnExec) throws Exception {
    try (Socket socket = new Socket()) {
      int fd = SocketDescriptors.fd(socket);
      Libc.fcntl(fd, Libc.F_SETFD, closeOnExec ? Libc.FD_CLOEXEC : 0);
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      assertEquals(closeOnExec ? Libc.FD_CLOEXEC : 0,
          Libc.fcntl(fd, Libc.F_GETFD) & Libc.FD_CLOEXEC);
    }
  }

  /**
   * MPTCP cannot do urgent data and refuses SO_OOBINLINE. An application that asked for it
   * keeps its TCP socket, unchanged, rather than silently losing the option.
   */
  @Test
  void oobInlineMakesMptcpConversionFailAndLeavesTheTcpSocketAsItWas() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, IPV4); Socket client = new Socket()) {
      client.setOOBInline(true);
      int fd = SocketDescriptors.fd(client);
      String before = identityOf(fd);

      NativeCallException e = assertThrows(NativeCallException.class,
          () -> SocketConverter.convert(fd, Protocol.MPTCP));

      assertEquals("EOPNOTSUPP", e.errnoName());
      assertTrue(e.call().startsWith("setsockopt("), e.call());
      assertTrue(e.call().contains("SO_OOBINLINE"), e.call());
      assertEquals(before, identityOf(fd));
      assertEquals(Libc.IPPROTO_TCP, protocolOf(fd));
      assertEquals(1, option(fd, Libc.SOL_SOCKET, Libc.SO_OOBINLINE));
      client.connect(server.getLocalSocketAddress(), TIMEOUT_MS);
      try (Socket peer = server.accept()) {
        exchange(client, peer);
      }
    }
  }

  @Test
  void oobInlineIsCopiedToAReplacementThatSupportsIt() throws Exception {
    try (Socket socket = new Socket()) {
      socket.setOOBInline(true);
      int fd = SocketDescriptors.fd(socket);
      String before = identityOf(fd);
      assertTrue(SocketConverter.convert(fd, PLAIN_TCP));
      assertNotEquals(before, identityOf(fd));
      assertEquals(1, option(fd, Libc.SOL_SOCKET, Libc.SO_OOBINLINE));
    }
  }

  private static int option(int fd, int level, int option) throws IOException {
    return Libc.getsockoptInt(fd, level, option);
  }

  private static void connect(SocketChannel client, ServerSocketChannel server)
      throws Exception {
    if (client.connect(server.getLocalAddress())) {
      return;
    }
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
    while (!client.finishConnect()) {
      assertTrue(System.nanoTime() < deadline, "non-blocking connect did not finish");
      Thread.sleep(1);
    }
  }
}
