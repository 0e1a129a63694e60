package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Socket;
import org.junit.jupiter.api.Test;

class LibcTest {

  @Test
  void failedCallReportsCallErrnoNameAndDescription() {
    NativeCallException e = assertThrows(NativeCallException.class, () -> Libc.close(-1));
    assertEquals(Errno.EBADF, e.errno());
    assertEquals("close(-1) failed: EBADF (Bad file descriptor)", e.getMessage());
  }

  @Test
  void getsockoptFailureNamesLevelAndOption() {
    NativeCallException e = assertThrows(NativeCallException.class,
        () -> Libc.getsockoptInt(-1, Libc.SOL_SOCKET, Libc.SO_PROTOCOL));
    assertEquals("getsockopt(-1, SOL_SOCKET, SO_PROTOCOL)", e.call());
  }

  @Test
  void unknownErrnoGetsANumericName() {
    assertEquals("errno 4000", Errno.name(4000));
  }

  @Test
  void localPortIsZeroBeforeBindAndTheBoundPortAfter() throws Exception {
    try (Socket socket = new Socket()) {
      int fd = SocketDescriptors.fd(socket);
      assertEquals(0, Libc.localPort(fd));
      socket.bind(new java.net.InetSocketAddress(Loopback.IPV6, 0));
      assertEquals(socket.getLocalPort(), Libc.localPort(fd));
    }
  }
}
