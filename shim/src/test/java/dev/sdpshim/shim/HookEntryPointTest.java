package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static dev.sdpshim.shim.Loopback.protocolOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.conf.Action;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's way in: a bare descriptor, the address, the action and "already bound?". */
class HookEntryPointTest {

  @Test
  void hookConvertsAnUnboundSocketByDescriptorAndCountsItOpenUntilClosed() throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *");
        ServerSocket server = new ServerSocket(0, 50, IPV4)) {
      Socket client = new Socket();
      int fd = SocketDescriptors.fd(client);
      assertFalse(ShimHook.isBound(fd));
      assertTrue(ShimHook.decide(s.shim, Action.CONNECT, fd, IPV4, server.getLocalPort(), false, client));
      assertEquals(Libc.IPPROTO_MPTCP, protocolOf(fd));
      client.connect(server.getLocalSocketAddress(), TIMEOUT_MS);
      try (Socket peer = server.accept()) {
        Loopback.exchange(client, peer);
      }
      assertEquals(1, s.stats().protocols().get(Protocol.MPTCP).open());
      client.close();
      assertEquals(0, s.stats().protocols().get(Protocol.MPTCP).open());
      assertEquals(1, s.stats().protocols().get(Protocol.MPTCP).total());
    }
  }

  @Test
  void hookJudgesNothingForABoundSocketAtConnect() throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *");
        Socket client = new Socket()) {
      client.bind(new InetSocketAddress(IPV4, 0));
      int fd = SocketDescriptors.fd(client);
      assertTrue(ShimHook.isBound(fd));
      assertFalse(ShimHook.decide(s.shim, Action.CONNECT, fd, IPV4, 80, true, null));
      assertEquals(Libc.IPPROTO_TCP, protocolOf(fd));
      assertEquals(0, s.stats().connectChecks());
      assertEquals(List.of(), s.debugLines());
    }
  }

  @Test
  void hookReplacesAWildcardRemoteAddressByLoopback() throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 7");
        Socket client = new Socket()) {
      int fd = SocketDescriptors.fd(client);
      assertTrue(ShimHook.decide(s.shim, Action.CONNECT, fd, InetAddress.getByName("0.0.0.0"), 7, false, null));
      assertEquals(List.of("CONNECT to 127.0.0.1:7 (socket converted to MPTCP protocol)"), s.debugLines());
    }
  }

  @Test
  void hookRefusesAnOwnerWhoseClosingItCannotObserve() throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *")) {
      assertThrows(IllegalArgumentException.class,
          () -> ShimHook.decide(s.shim, Action.CONNECT, 0, IPV4, 80, false, "not a socket"));
    }
  }
}
