package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static dev.sdpshim.shim.Loopback.exchange;
import static dev.sdpshim.shim.Loopback.identityOf;
import static dev.sdpshim.shim.Loopback.protocolOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** This kernel has no SDP: the conversion fails cleanly and the socket goes on as TCP. */
class SdpFallbackTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1"})
  void sdpConversionFailsWithEafnosupportAndTheSocketStillWorksAsTcp(String host)
      throws Exception {
    InetAddress address = InetAddress.getByName(host);
    try (ServerSocket server = new ServerSocket(0, 50, address); Socket client = new Socket()) {
      int fd = SocketDescriptors.fd(client);
      String before = identityOf(fd);

      NativeCallException e = assertThrows(NativeCallException.class,
          () -> SocketConverter.convert(fd, Protocol.SDP));

      assertEquals(97, e.errno());
      assertEquals("EAFNOSUPPORT", e.errnoName());
      assertEquals("socket(AF_INET_SDP, SOCK_STREAM, 0)", e.call());
      assertEquals("socket(AF_INET_SDP, SOCK_STREAM, 0) failed: EAFNOSUPPORT "
          + "(Address family not supported by protocol)", e.getMessage());
      assertEquals(before, identityOf(fd));
      assertEquals(Libc.IPPROTO_TCP, protocolOf(fd));
      client.connect(server.getLocalSocketAddress(), TIMEOUT_MS);
      try (Socket peer = server.accept()) {
        exchange(client, peer);
      }
      assertEquals(Libc.IPPROTO_TCP, protocolOf(fd));
    }
  }
}
