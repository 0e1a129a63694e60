package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.openDescriptors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Every path through the converter, taken many times, leaves the descriptor count as it was. */
class DescriptorLeakTest {
  private static final int WARM_UP = 500;
  private static final int ROUNDS = 10_000;

  @Test
  void tenThousandSuccessfulConversionsLeakNoDescriptor() throws Exception {
    convertToMptcp(WARM_UP); // lets the JDK and SLF4J open whatever they keep open
    long before = openDescriptors();
    convertToMptcp(ROUNDS);
    assertEquals(before, openDescriptors());
  }

  @Test
  void failedConversionsLeakNoDescriptor() throws Exception {
    failConversions(WARM_UP);
    long before = openDescriptors();
    failConversions(ROUNDS);
    assertEquals(before, openDescriptors());
  }

  private static void convertToMptcp(int rounds) throws Exception {
    for (int i = 0; i < rounds; i++) {
      try (Socket socket = new Socket()) {
        assertTrue(SocketConverter.convert(SocketDescriptors.fd(socket), Protocol.MPTCP));
      }
    }
  }

  /**
   * Alternates the two failure points: socket() itself (SDP), and a failure after the
   * replacement exists (SO_OOBINLINE on MPTCP), which must close the replacement.
   */
  private static void failConversions(int rounds) throws Exception {
    for (int i = 0; i < rounds; i++) {
      try (Socket socket = new Socket()) {
        Protocol target = i % 2 == 0 ? Protocol.SDP : Protocol.MPTCP;
        socket.setOOBInline(target == Protocol.MPTCP);
        int fd = SocketDescriptors.fd(socket);
        assertThrows(NativeCallException.class, () -> SocketConverter.convert(fd, target));
      }
    }
  }
}
