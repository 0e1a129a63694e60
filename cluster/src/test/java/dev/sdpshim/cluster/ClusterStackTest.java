package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.shim.RailGroup;
import dev.sdpshim.shim.SdpShim;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.Test;

class ClusterStackTest {
  private static final byte[] SECRET = "s".getBytes(StandardCharsets.UTF_8);

  @Test
  void theTunedStackInOrderWithTheDeploymentsSettings() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    List<InetSocketAddress> peers = List.of(new InetSocketAddress(lo, 7900), new InetSocketAddress(lo, 7901));
    try (SdpShim shim = SdpShim.builder().build()) {
      ClusterStack stack = ClusterStack.builder("orders", SECRET).bind(lo, 7900).peers(peers).shim(shim).build();
      List<Protocol> protocols = stack.protocols();
      assertEquals(List.of("TCP", "TCPPING", "MERGE3", "FD_RING", "FD_HEARTBEAT", "WITNESS", "NAKACK2",
          "UNICAST3", "STABLE", "AUTH", "PANIC", "GMS", "MFC", "FRAG4"),
          protocols.stream().map(p -> p.getClass().getSimpleName()).toList());

      TCP tcp = (TCP) protocols.get(0);
      assertEquals(lo, tcp.getValue("bind_addr"));
      assertEquals(7900, tcp.getBindPort());
      assertEquals(lo, tcp.getClientBindAddr(), "client sockets bind to the cluster's interface");
      assertEquals(1 << 20, tcp.getMaxLength(), "frames are bounded");
      assertEquals(true, tcp.<Boolean>getValue("tcp_nodelay"), "no Nagle: a request must not wait for a delayed ACK");
      assertInstanceOf(ClusterSocketFactory.class, tcp.getSocketFactory());
      assertEquals(2, ((TCPPING) protocols.get(1)).getInitialHosts().size());
      MERGE3 merge = (MERGE3) protocols.get(2);
      assertEquals(800, merge.getMaxInterval());
      assertEquals(1200, merge.getCheckInterval());
      assertEquals(300, ((FD_SOCK2) protocols.get(3)).<Integer>getValue("connect_timeout"));
      FD_HEARTBEAT heartbeat = (FD_HEARTBEAT) protocols.get(4);
      assertEquals(500, heartbeat.getInterval());
      assertEquals(4000, heartbeat.getTimeout());
      assertInstanceOf(SecretToken.class, ((AUTH) protocols.get(9)).getAuthToken());
      assertEquals("orders", stack.cluster());

      assertNotSame(protocols.get(5), stack.protocols().get(5), "each channel gets its own protocols");
    }
  }

  @Test
  void overRailsTheListenerTakesTheWildcardTheMemberAdvertisesItsAddressAndClientSocketsAreNotPinned()
      throws Exception {
    InetAddress member = InetAddress.getByName("127.0.0.2");
    try (SdpShim shim = SdpShim.builder().build();
        RailGroup rails = RailGroup.builder(shim).rail("r1", "127.0.0.2/32", null).rail("r2", "127.0.0.3/32", null)
            .build()) {
      List<Protocol> protocols = ClusterStack.builder("orders", SECRET).bind(member, 7900).rails(rails).build()
          .protocols();
      TCP tcp = (TCP) protocols.get(0);
      assertEquals(InetAddress.getByName("0.0.0.0"), tcp.getValue("bind_addr"), "reachable on every rail");
      assertEquals(member, tcp.getValue("external_addr"), "what peers map onto their rails");
      assertNull(tcp.getClientBindAddr(), "JGroups' wildcard bind leaves the socket railed");
      assertEquals(member, ((FD_RING) protocols.get(3)).getClientBindAddress());
      assertNull(((FD_RING) protocols.get(3)).getBindAddress(), "FD_RING listens on the wildcard too");

      ClusterStack plain = ClusterStack.builder("orders", SECRET).bind(member, 7900).rails(rails).shim(shim).build();
      assertEquals(member, ((TCP) plain.protocols().get(0)).getClientBindAddr(), "a later shim(...) is not railed");

      IllegalArgumentException offRails = assertThrows(IllegalArgumentException.class,
          () -> ClusterStack.builder("orders", SECRET).bind(InetAddress.getLoopbackAddress(), 7900).rails(rails).build());
      assertTrue(offRails.getMessage().contains("127.0.0.1 is on no rail"), offRails.getMessage());
    }
  }

  @Test
  void aBlankClusterNameOrAnEmptySecretIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ClusterStack.builder(" ", SECRET));
    assertThrows(IllegalArgumentException.class, () -> ClusterStack.builder("orders", new byte[0]));
  }
}
