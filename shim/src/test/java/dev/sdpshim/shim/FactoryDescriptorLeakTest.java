package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.openDescriptors;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Ten thousand sockets through the factory, converted or fallen back: no descriptor is left. */
class FactoryDescriptorLeakTest {
  private static final int WARM_UP = 500;
  private static final int ROUNDS = 10_000;

  @Test
  void tenThousandConversionsThroughTheFactoryLeakNoDescriptor() throws Exception {
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.1 *")) {
      bindAndClose(s.shim, WARM_UP); // lets the JDK, SLF4J and JMX open what they keep open
      long before = openDescriptors();
      bindAndClose(s.shim, ROUNDS);
      assertEquals(before, openDescriptors());
      assertEquals(WARM_UP + ROUNDS, s.stats().rule(1).converted());
      assertEquals(0, s.stats().protocols().get(Protocol.MPTCP).open());
    }
  }

  @Test
  void tenThousandFallbacksThroughTheFactoryLeakNoDescriptor() throws Exception {
    try (Shims.Captured s = Shims.shim(Protocol.SDP, Fallback.TCP, "bind 127.0.0.1 *")) {
      bindAndClose(s.shim, WARM_UP);
      long before = openDescriptors();
      bindAndClose(s.shim, ROUNDS);
      assertEquals(before, openDescriptors());
      assertEquals(WARM_UP + ROUNDS, s.stats().rule(1).fellBack());
      assertEquals(1, s.warnings().size());
    }
  }

  private static void bindAndClose(SdpShim shim, int rounds) throws Exception {
    for (int i = 0; i < rounds; i++) {
      try (Socket socket = shim.socketFactory().createSocket()) {
        socket.bind(new InetSocketAddress(IPV4, 0));
      }
    }
  }
}
