package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The descriptor found is the socket's own: after bind, getsockname(2) on it reports the port the
 * Java object reports.
 */
class SocketDescriptorsTest {
  private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(IPV4, 0);

  @Test
  void unboundSocketGetsItsOsSocketCreatedWithoutBeingBound() throws Exception {
    try (Socket socket = new Socket()) {
      int fd = SocketDescriptors.fd(socket);
      assertEquals(Libc.SOCK_STREAM, Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_TYPE));
      assertEquals(0, Libc.localPort(fd));
      assertFalse(socket.isBound());
      socket.bind(ANY_LOOPBACK_PORT);
      assertEquals(socket.getLocalPort(), Libc.localPort(fd));
    }
  }

  @Test
  void socketWithoutProxyIsFoundToo() throws Exception {
    try (Socket socket = new Socket(Proxy.NO_PROXY)) {
      int fd = SocketDescriptors.fd(socket);
      socket.bind(ANY_LOOPBACK_PORT);
      assertEquals(socket.getLocalPort(), Libc.localPort(fd));
    }
  }

  @Test
  void serverSocketDescriptorIsTheListenersOwn() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      int fd = SocketDescriptors.fd(server);
      server.bind(ANY_LOOPBACK_PORT);
      assertEquals(server.getLocalPort(), Libc.localPort(fd));
    }
  }

  @Test
  void channelDescriptorsAreTheChannelsOwn() throws Exception {
    try (SocketChannel sc = SocketChannel.open();
        ServerSocketChannel ssc = ServerSocketChannel.open();
        AsynchronousSocketChannel asc = AsynchronousSocketChannel.open();
        AsynchronousServerSocketChannel assc = AsynchronousServerSocketChannel.open()) {
      assertEquals(port(sc.bind(ANY_LOOPBACK_PORT).getLocalAddress()),
          Libc.localPort(SocketDescriptors.fd(sc)));
      assertEquals(port(ssc.bind(ANY_LOOPBACK_PORT).getLocalAddress()),
          Libc.localPort(SocketDescriptors.fd(ssc)));
      assertEquals(port(asc.bind(ANY_LOOPBACK_PORT).getLocalAddress()),
          Libc.localPort(SocketDescriptors.fd(asc)));
      assertEquals(port(assc.bind(ANY_LOOPBACK_PORT).getLocalAddress()),
          Libc.localPort(SocketDescriptors.fd(assc)));
    }
  }

  @Test
  void channelAdaptorsLeadToTheChannelsDescriptor() throws Exception {
    try (SocketChannel sc = SocketChannel.open();
        ServerSocketChannel ssc = ServerSocketChannel.open()) {
      assertEquals(SocketDescriptors.fd(sc), SocketDescriptors.fd(sc.socket()));
      assertEquals(SocketDescriptors.fd(ssc), SocketDescriptors.fd(ssc.socket()));
    }
  }

  @Test
  void fileDescriptorObjectYieldsItsNumber(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      int fd = SocketDescriptors.fd(in.getFD());
      assertEquals(file.toRealPath(), Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)));
    }
  }

  @Test
  void closedSocketsAndChannelsAreReportedNotGuessed() throws Exception {
    Socket socket = new Socket();
    socket.close();
    assertThrows(IOException.class, () -> SocketDescriptors.fd(socket));
    SocketChannel channel = SocketChannel.open();
    channel.close();
    assertThrows(ClosedChannelException.class, () -> SocketDescriptors.fd(channel));
  }

  @Test
  void accessIsGrantedInThisTestJvm() {
    assertTrue(SocketDescriptors.missingOpens().isEmpty(), "surefire argLine lacks --add-opens");
  }

  @Test
  void adviceNamesEachMissingFlag() {
    String advice = SocketDescriptors.accessAdvice(java.util.List.of("java.io", "sun.nio.ch"));
    assertTrue(advice.contains("--add-opens java.base/java.io=ALL-UNNAMED "
        + "--add-opens java.base/sun.nio.ch=ALL-UNNAMED"), advice);
    assertTrue(advice.contains("-javaagent"), advice);
  }

  private static int port(java.net.SocketAddress address) {
    return ((InetSocketAddress) address).getPort();
  }
}
