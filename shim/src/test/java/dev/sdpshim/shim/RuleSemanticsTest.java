package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.IPV6;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JDK's rule semantics, on real loopback sockets, for each API: Socket/ServerSocket through
 * the factories, SocketChannel/ServerSocketChannel and the asynchronous channels through the
 * helpers. Target MPTCP, so a converted socket reports SO_PROTOCOL 262 and must still carry data.
 */
class RuleSemanticsTest {
  private static final int MPTCP = Libc.IPPROTO_MPTCP;
  private static final int TCP = Libc.IPPROTO_TCP;

  @ParameterizedTest
  @EnumSource(Api.class)
  void connectOfAnUnboundSocketIsJudgedByTheConnectRules(Api api) throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *");
        Api.Listener listener = api.listen(s.shim, new InetSocketAddress(IPV4, 0));
        Api.Conn client = api.connect(s.shim, listener.address());
        Api.Conn peer = listener.accept()) {
      assertAll(
          () -> assertEquals(MPTCP, client.protocol(), "client: implicit bind at connect, converted"),
          () -> assertEquals(TCP, listener.protocol(), "listener: no bind rule, stays TCP"));
      client.exchange(peer);
      ShimStatistics stats = s.stats();
      assertEquals(1, stats.rule(1).converted());
      assertEquals(1, stats.connectChecks());
      assertEquals(1, stats.noMatch(), "the listener's bind");
    }
  }

  /** Bind-before-connect: a connect rule covering the destination does not apply. */
  @ParameterizedTest
  @EnumSource(Api.class)
  void socketBoundBeforeConnectIsNotJudgedByConnectRules(Api api) throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 127.0.0.1 *");
        Api.Listener listener = api.listen(s.shim, new InetSocketAddress(IPV4, 0));
        Api.Conn client = api.bindThenConnect(s.shim, new InetSocketAddress(IPV4, 0), listener.address());
        Api.Conn peer = listener.accept()) {
      assertEquals(TCP, client.protocol());
      client.exchange(peer);
      ShimStatistics stats = s.stats();
      assertEquals(0, stats.rule(1).matched());
      assertEquals(0, stats.connectChecks());
      assertEquals(2, stats.bindChecks(), "the listener's and the client's");
    }
  }

  /** At most one conversion: the bind converts, the connect of the bound socket is not judged. */
  @ParameterizedTest
  @EnumSource(Api.class)
  void socketBoundByABindRuleIsConvertedOnceAtBind(Api api) throws Exception {
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.1 0", "connect 127.0.0.1 *");
        Api.Listener listener = api.listen(s.shim, new InetSocketAddress(IPV4, 0));
        Api.Conn client = api.bindThenConnect(s.shim, new InetSocketAddress(IPV4, 0), listener.address());
        Api.Conn peer = listener.accept()) {
      assertAll(
          () -> assertEquals(MPTCP, client.protocol()),
          () -> assertEquals(MPTCP, listener.protocol()),
          () -> assertEquals(MPTCP, peer.protocol(), "accepted: the listener's protocol"));
      client.exchange(peer);
      ShimStatistics stats = s.stats();
      assertEquals(2, stats.rule(1).converted(), "listener and client, at bind");
      assertEquals(0, stats.rule(2).matched());
      assertEquals(List.of("BIND to 127.0.0.1:0 (socket converted to MPTCP protocol)",
          "BIND to 127.0.0.1:0 (socket converted to MPTCP protocol)"), s.debugLines());
    }
  }

  /**
   * A listener bound without an address is judged with the wildcard the JDK binds it to, and
   * the sockets it accepts share its protocol without being judged. (With MPTCP the client must
   * speak it too: the kernel hands a TCP client a plain TCP socket.)
   */
  @ParameterizedTest
  @EnumSource(Api.class)
  void wildcardBoundListenerIsJudgedByBindRulesAndItsAcceptedSocketsFollowIt(Api api)
      throws Exception {
    try (Shims.Captured s = Shims.mptcp("bind 0.0.0.0 *", "bind :: *", "connect 127.0.0.1 *");
        Api.Listener listener = api.listen(s.shim, null);
        Api.Conn client = api.connect(s.shim, listener.reachableOn(IPV4));
        Api.Conn peer = listener.accept()) {
      assertAll(
          () -> assertEquals(MPTCP, listener.protocol()),
          () -> assertEquals(MPTCP, client.protocol()),
          () -> assertEquals(MPTCP, peer.protocol()));
      client.exchange(peer);
      String wildcard = api == Api.CHANNELS ? "[0:0:0:0:0:0:0:0]" : "0.0.0.0";
      assertEquals("BIND to " + wildcard + ":0 (socket converted to MPTCP protocol)",
          s.debugLines().get(0));
      assertEquals(1, s.stats().bindChecks(), "accepted sockets are never judged");
    }
  }

  /** The port as given, 0, is judged; not the ephemeral port the kernel then assigns. */
  @ParameterizedTest
  @EnumSource(Api.class)
  void bindToPortZeroIsJudgedWithPortZero(Api api) throws Exception {
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.1 0");
        Api.Listener listener = api.listen(s.shim, new InetSocketAddress(IPV4, 0));
        Api.Conn client = api.connect(s.shim, listener.address());
        Api.Conn peer = listener.accept()) {
      assertEquals(MPTCP, listener.protocol());
      assertEquals(TCP, client.protocol(), "no connect rule");
      client.exchange(peer); // the kernel's MPTCP listener falls back to TCP for a TCP client
    }
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.1 1-65535");
        Api.Listener listener = api.listen(s.shim, new InetSocketAddress(IPV4, 0))) {
      assertEquals(TCP, listener.protocol());
      assertEquals(1, s.stats().noMatch());
    }
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void socketsNoRuleMatchesStayTcpAndCarryData(Api api) throws Exception {
    try (Shims.Captured s = Shims.mptcp("connect 192.0.2.0/24 *", "bind 192.0.2.1 *", "connect 127.0.0.1 1-1023");
        Api.Listener listener = api.listen(s.shim, new InetSocketAddress(IPV4, 0));
        Api.Conn client = api.connect(s.shim, listener.address());
        Api.Conn peer = listener.accept()) {
      assertAll(
          () -> assertEquals(TCP, listener.protocol()),
          () -> assertEquals(TCP, client.protocol()),
          () -> assertEquals(TCP, peer.protocol()));
      client.exchange(peer);
      ShimStatistics stats = s.stats();
      assertEquals(2, stats.noMatch());
      assertEquals(0, stats.protocols().get(Protocol.MPTCP).total());
      assertEquals("CONNECT to 127.0.0.1:" + listener.address().getPort() + " (no match)",
          s.debugLines().get(1));
    }
  }

  /** The JDK refuses IPv6 with SDP rules; the shim converts IPv6 sockets like the others. */
  @ParameterizedTest
  @EnumSource(Api.class)
  void ipv6SocketsAreConvertedAndCarryData(Api api) throws Exception {
    try (Shims.Captured s = Shims.mptcp("bind ::1 *", "connect ::1 *");
        Api.Listener listener = api.listen(s.shim, new InetSocketAddress(IPV6, 0));
        Api.Conn client = api.connect(s.shim, listener.address());
        Api.Conn peer = listener.accept()) {
      assertAll(
          () -> assertEquals(MPTCP, listener.protocol()),
          () -> assertEquals(MPTCP, client.protocol()),
          () -> assertEquals(MPTCP, peer.protocol()));
      client.exchange(peer);
      assertEquals(List.of("BIND to [0:0:0:0:0:0:0:1]:0 (socket converted to MPTCP protocol)",
          "CONNECT to [0:0:0:0:0:0:0:1]:" + listener.address().getPort()
              + " (socket converted to MPTCP protocol)"), s.debugLines());
    }
  }
}
