package dev.sdpshim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void loopbackIsThisJvmsOwnPeer() throws UnknownHostException {
    Target t = Target.parse("loopback");
    assertTrue(t.loopback());
    assertTrue(t.address().isLoopbackAddress());
    assertEquals("loopback", t.toString());
  }

  @Test
  void aRemoteHostTakesTheDefaultPortUnlessGiven() throws UnknownHostException {
    assertEquals(new Target(InetAddress.getByName("192.0.2.7"), Peer.DEFAULT_PORT, false), Target.parse("192.0.2.7"));
    assertEquals(new Target(InetAddress.getByName("192.0.2.7"), 7000, false), Target.parse("192.0.2.7:7000"));
    assertEquals(new Target(InetAddress.getByName("fd00::7"), 7000, false), Target.parse("[fd00::7]:7000"));
    assertEquals(new Target(InetAddress.getByName("fd00::7"), Peer.DEFAULT_PORT, false), Target.parse("fd00::7"));
  }

  @Test
  void aBadPortIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.parse("192.0.2.7:http"));
    assertTrue(e.getMessage().contains("'192.0.2.7:http'"), e.getMessage());
  }
}
