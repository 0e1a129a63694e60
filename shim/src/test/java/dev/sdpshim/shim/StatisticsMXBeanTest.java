package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The MXBeans on the platform MBean server say what the snapshot API says. */
class StatisticsMXBeanTest {
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void mxbeanAttributesReadThroughJmxEqualTheSnapshot() throws Exception {
    List<AutoCloseable> open = new ArrayList<>();
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.1 *", "connect 127.0.0.1 *", "connect 192.0.2.1 *");
        ServerSocket listener = s.shim.serverSocketFactory().createServerSocket(0, 50, IPV4)) {
      for (int i = 0; i < 3; i++) {
        open.add(s.shim.socketFactory().createSocket(IPV4, listener.getLocalPort()));
        open.add(listener.accept());
      }
      SocketChannel channel = s.shim.openSocketChannel();
      s.shim.bind(channel, new InetSocketAddress(IPV4, 0));
      open.add(channel);
      try (Socket ipv6 = s.shim.socketFactory().createSocket()) {
        ipv6.bind(new InetSocketAddress(Loopback.IPV6, 0)); // no rule
      }

      ShimStatistics stats = s.stats();
      assertEquals(2, stats.rule(1).converted(), "listener and channel");
      assertEquals(3, stats.rule(2).converted());
      assertEquals(new ShimStatistics.ProtocolCounts(Protocol.MPTCP, 5, 5), stats.protocols().get(Protocol.MPTCP),
          "accepted sockets are not counted: they were never judged");
      assertJmxEquals(s.shim.name(), stats);

      for (AutoCloseable c : open) {
        c.close();
      }
      ShimStatistics after = s.stats();
      assertEquals(new ShimStatistics.ProtocolCounts(Protocol.MPTCP, 1, 5), after.protocols().get(Protocol.MPTCP),
          "only the listener is still open");
      assertJmxEquals(s.shim.name(), after);
    }
  }

  @Test
  void closingTheInstanceUnregistersItsMXBeans() throws Exception {
    String name;
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.1 *", "connect 127.0.0.1 *")) {
      name = s.shim.name();
      Set<ObjectName> beans = server.queryNames(new ObjectName("dev.sdpshim:*,shim=" + name), null);
      assertEquals(5, beans.size(), "two rules, three protocols: " + beans);
      assertTrue(server.isRegistered(ShimMBeans.shimName(name)));
    }
    assertFalse(server.isRegistered(ShimMBeans.shimName(name)));
    assertEquals(Set.of(), server.queryNames(new ObjectName("dev.sdpshim:*,shim=" + name), null));
  }

  @Test
  void namesWithCharactersObjectNamesReserveAreQuoted() throws Exception {
    try (SdpShim shim = SdpShim.builder().name("db pool, \"main\"").build()) {
      ObjectName name = ShimMBeans.shimName(shim.name());
      assertEquals("db pool, \"main\"", server.getAttribute(name, "Name"));
    }
  }

  private void assertJmxEquals(String shim, ShimStatistics stats) throws Exception {
    ObjectName name = ShimMBeans.shimName(shim);
    assertEquals(shim, server.getAttribute(name, "Name"));
    assertEquals(stats.protocol().name(), server.getAttribute(name, "Protocol"));
    assertEquals(stats.fallback().name(), server.getAttribute(name, "Fallback"));
    assertEquals(stats.rules().size(), server.getAttribute(name, "RuleCount"));
    assertEquals(stats.bindChecks(), server.getAttribute(name, "BindChecks"));
    assertEquals(stats.connectChecks(), server.getAttribute(name, "ConnectChecks"));
    assertEquals(stats.noMatch(), server.getAttribute(name, "NoMatch"));
    for (ShimStatistics.RuleCounts rule : stats.rules()) {
      ObjectName r = ShimMBeans.ruleName(shim, rule.line());
      assertEquals(rule.line(), server.getAttribute(r, "Line"));
      assertEquals(rule.rule(), server.getAttribute(r, "Rule"));
      assertEquals(rule.action().keyword(), server.getAttribute(r, "Action"));
      assertEquals(rule.matched(), server.getAttribute(r, "Matched"));
      assertEquals(rule.converted(), server.getAttribute(r, "Converted"));
      assertEquals(rule.fellBack(), server.getAttribute(r, "FellBack"));
      assertEquals(rule.failed(), server.getAttribute(r, "Failed"));
    }
    for (ShimStatistics.ProtocolCounts p : stats.protocols().values()) {
      ObjectName n = ShimMBeans.protocolName(shim, p.protocol());
      assertEquals(p.protocol().name(), server.getAttribute(n, "Protocol"));
      assertEquals(p.open(), server.getAttribute(n, "Open"));
      assertEquals(p.total(), server.getAttribute(n, "Total"));
    }
  }
}
