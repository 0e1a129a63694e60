package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.IPV6;
import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static dev.sdpshim.shim.Loopback.domainOf;
import static dev.sdpshim.shim.Loopback.exchange;
import static dev.sdpshim.shim.Loopback.protocolOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every JDK stream socket type, converted to MPTCP before bind/connect, then used for real. */
class MptcpConversionTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void socketConvertedBeforeConnectIsMptcpAndCarriesData(String host) throws Exception {
    InetAddress address = InetAddress.getByName(host);
    try (ServerSocket server = new ServerSocket(0, 50, address); Socket client = new Socket()) {
      int fd = SocketDescriptors.fd(client);
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd));
      client.connect(server.getLocalSocketAddress(), TIMEOUT_MS);
      try (Socket peer = server.accept()) {
        exchange(client, peer);
      }
      assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd));
    }
  }

  @Test
  void socketChannelConvertedBeforeConnectIsMptcpAndCarriesData() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open();
        SocketChannel client = SocketChannel.open()) {
      server.bind(new InetSocketAddress(IPV4, 0));
      int fd = SocketDescriptors.fd(client);
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd));
      client.connect(server.getLocalAddress());
      try (SocketChannel peer = server.accept()) {
        exchange(client, peer);
      }
    }
  }

  @Test
  void ipv4OnlySocketChannelKeepsItsFamilyWhenConvertedToMptcp() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
        SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET)) {
      server.bind(new InetSocketAddress(IPV4, 0));
      int fd = SocketDescriptors.fd(client);
      assertEquals(Libc.AF_INET, domainOf(fd));
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      assertEquals(Libc.AF_INET, domainOf(fd));
      assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd));
      client.connect(server.getLocalAddress());
      try (SocketChannel peer = server.accept()) {
        exchange(client, peer);
      }
    }
  }

  @Test
  void asynchronousSocketChannelConvertedBeforeConnectIsMptcpAndCarriesData() throws Exception {
    try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open();
        AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
      server.bind(new InetSocketAddress(IPV4, 0));
      int fd = SocketDescriptors.fd(client);
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd));
      client.connect(server.getLocalAddress()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      try (AsynchronousSocketChannel peer =
          server.accept().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        Loopback.exchange(client, peer);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void serverSocketConvertedBeforeBindAcceptsMptcpSockets(String host) throws Exception {
    InetAddress address = InetAddress.getByName(host);
    try (ServerSocket server = new ServerSocket(); Socket client = new Socket()) {
      assertTrue(SocketConverter.convert(SocketDescriptors.fd(server), Protocol.MPTCP));
      server.bind(new InetSocketAddress(address, 0));
      assertTrue(SocketConverter.convert(SocketDescriptors.fd(client), Protocol.MPTCP));
      client.connect(server.getLocalSocketAddress(), TIMEOUT_MS);
      server.setSoTimeout(TIMEOUT_MS);
      try (Socket peer = server.accept()) {
        int peerFd = SocketDescriptors.fd(peer);
        assertEquals(Libc.IPPROTO_MPTCP, protocolOf(peerFd));
        assertEquals(Libc.AF_INET6, domainOf(peerFd), "the JDK's sockets are dual-stack IPv6");
        exchange(client, peer);
      }
    }
  }

  @Test
  void serverSocketChannelConvertedBeforeBindAcceptsMptcpSockets() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open();
        SocketChannel client = SocketChannel.open()) {
      assertTrue(SocketConverter.convert(SocketDescriptors.fd(server), Protocol.MPTCP));
      server.bind(new InetSocketAddress(IPV6, 0));
      assertTrue(SocketConverter.convert(SocketDescriptors.fd(client), Protocol.MPTCP));
      client.connect(server.getLocalAddress());
      try (SocketChannel peer = server.accept()) {
        assertEquals(Libc.IPPROTO_MPTCP, protocolOf(SocketDescriptors.fd(peer)));
        exchange(client, peer);
      }
    }
  }

  @Test
  void asynchronousServerSocketChannelConvertedBeforeBindAcceptsMptcpSockets()
      throws Exception {
    try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open();
        AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
      assertTrue(SocketConverter.convert(SocketDescriptors.fd(server), Protocol.MPTCP));
      server.bind(new InetSocketAddress(IPV4, 0));
      assertTrue(SocketConverter.convert(SocketDescriptors.fd(client), Protocol.MPTCP));
      client.connect(server.getLocalAddress()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      try (AsynchronousSocketChannel peer =
          server.accept().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        assertEquals(Libc.IPPROTO_MPTCP, protocolOf(SocketDescriptors.fd(peer)));
        Loopback.exchange(client, peer);
      }
    }
  }

  @Test
  void ipv6SocketToIpv6LoopbackIsMptcpOnBothEnds() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET6);
        SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET6)) {
      assertTrue(SocketConverter.convert(SocketDescriptors.fd(server), Protocol.MPTCP));
      server.bind(new InetSocketAddress(IPV6, 0));
      int fd = SocketDescriptors.fd(client);
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      assertEquals(Libc.AF_INET6, domainOf(fd));
      client.connect(server.getLocalAddress());
      assertEquals(IPV6, ((InetSocketAddress) client.getRemoteAddress()).getAddress());
      try (SocketChannel peer = server.accept()) {
        assertEquals(Libc.IPPROTO_MPTCP, protocolOf(SocketDescriptors.fd(peer)));
        exchange(client, peer);
      }
    }
  }
}
