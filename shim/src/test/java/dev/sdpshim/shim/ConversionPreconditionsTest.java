package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.identityOf;
import static dev.sdpshim.shim.Loopback.protocolOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** When the converter must refuse, or has nothing to do, the socket is left alone. */
class ConversionPreconditionsTest {

  @Test
  void boundSocketIsRefusedBecauseItWouldLoseItsAddress() throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(IPV4, 0));
      int fd = SocketDescriptors.fd(socket);
      String before = identityOf(fd);
      IOException e = assertThrows(IOException.class,
          () -> SocketConverter.convert(fd, Protocol.MPTCP));
      assertTrue(e.getMessage().contains("already bound (local port " + socket.getLocalPort()),
          e.getMessage());
      assertEquals(before, identityOf(fd));
      assertEquals(Libc.IPPROTO_TCP, protocolOf(fd));
    }
  }

  @Test
  void datagramSocketIsRefused() throws Exception {
    int fd = Libc.socket(Libc.AF_INET, 2 /* SOCK_DGRAM */, 0);
    try {
      IOException e = assertThrows(IOException.class,
          () -> SocketConverter.convert(fd, Protocol.MPTCP));
      assertTrue(e.getMessage().contains("not an AF_INET/AF_INET6 stream socket"),
          e.getMessage());
      assertEquals(17 /* IPPROTO_UDP */, protocolOf(fd));
    } finally {
      Libc.close(fd);
    }
  }

  @Test
  void tcpTargetLeavesTheSocketUntouched() throws Exception {
    try (Socket socket = new Socket()) {
      int fd = SocketDescriptors.fd(socket);
      String before = identityOf(fd);
      assertFalse(SocketConverter.convert(fd, Protocol.TCP));
      assertEquals(before, identityOf(fd));
    }
  }

  @Test
  void convertingToTheProtocolTheSocketAlreadyHasIsANoOp() throws Exception {
    try (Socket socket = new Socket()) {
      int fd = SocketDescriptors.fd(socket);
      assertTrue(SocketConverter.convert(fd, Protocol.MPTCP));
      String converted = identityOf(fd);
      assertFalse(SocketConverter.convert(fd, Protocol.MPTCP));
      assertEquals(converted, identityOf(fd));
    }
  }
}
