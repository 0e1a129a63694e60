package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.RailPolicy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rails on loopback: rail a is 127.0.0.1/32 and rail b 127.0.0.2/32, so a peer is 127.0.0.1 on a
 * and 127.0.0.2 on b. Covers what needs no link to go down: refusals, options kept across a
 * failover, every rail failing, sockets that are not railed, bad configurations, MXBeans.
 * Failover on real link failures and failback are in {@link RailsIT}.
 */
class RailGroupTest {
  private static final InetAddress A = Loopback.IPV4;
  private static final InetAddress B = address("127.0.0.2");

  @TempDir Path dir;

  private static RailGroup group(SdpShim shim, RailPolicy policy) {
    return RailGroup.builder(shim).rail("a", "127.0.0.1/32", null).rail("b", "127.0.0.2/32", null)
        .policy(policy).connectTimeout(Duration.ofMillis(500)).probeInterval(Duration.ofSeconds(5)).build();
  }

  @Test
  void aRefusedConnectFailsOverButLeavesTheRailUp() throws IOException {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = group(s.shim, RailPolicy.ROUND_ROBIN);
        ServerSocket onlyB = new ServerSocket(0, 50, B)) {
      for (int i = 0; i < 4; i++) {
        try (Socket socket = rails.socketFactory().createSocket(A, onlyB.getLocalPort()); Socket peer = onlyB.accept()) {
          assertEquals(B, socket.getLocalAddress());
          assertEquals(new InetSocketAddress(B, onlyB.getLocalPort()), socket.getRemoteSocketAddress());
          Loopback.exchange(socket, peer);
        }
      }
      RailStatistics.RailCounts a = rails.statistics().rail("a");
      assertTrue(a.up(), "a refusal proves the rail carries packets");
      assertEquals(2, a.failovers(), "every second connect started on a");
      assertEquals("connection refused", a.lastFailureReason());
      assertEquals(0, a.hedges(), "a refusal comes at once: nothing to hedge");
      assertEquals(4, rails.statistics().rail("b").connects());
      assertEquals(0, rails.statistics().rail("b").open());
    }
  }

  @Test
  void optionsSetBeforeTheConnectAreGivenToTheSocketOfTheNextRail() throws IOException {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = group(s.shim, RailPolicy.LEAST_CONNECTIONS);
        ServerSocket onlyB = new ServerSocket(0, 50, B);
        Socket socket = rails.socketFactory().createSocket()) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(4321);
      socket.setKeepAlive(true);
      socket.setOption(StandardSocketOptions.SO_SNDBUF, 96 * 1024);
      socket.connect(new InetSocketAddress(A, onlyB.getLocalPort()), 2000);
      try (Socket peer = onlyB.accept()) {
        assertEquals(1, rails.statistics().rail("a").failovers(), "least-connections tried a first");
        assertEquals(B, socket.getLocalAddress());
        assertTrue(socket.getTcpNoDelay());
        assertEquals(4321, socket.getSoTimeout());
        assertTrue(socket.getKeepAlive());
        assertTrue(socket.getOption(StandardSocketOptions.SO_SNDBUF) >= 96 * 1024, "the kernel doubles it");
        assertEquals(onlyB.getLocalPort(), socket.getPort());
        assertEquals(peer.getPort(), socket.getLocalPort());
        Loopback.exchange(socket, peer);
        assertEquals(1, rails.statistics().rail("b").open());
      }
    }
    // closed by try-with-resources above; nothing stays counted
  }

  @Test
  void closingARailedSocketEndsItsCountOnItsRail() throws IOException {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = group(s.shim, RailPolicy.ROUND_ROBIN);
        RailServer server = rails.listen(0)) {
      Socket first = rails.socketFactory().createSocket(A, server.port());
      Socket second = rails.socketFactory().createSocket(A, server.port());
      assertEquals(1, rails.statistics().rail("a").open());
      assertEquals(1, rails.statistics().rail("b").open());
      first.close();
      first.close();
      assertEquals(0, rails.statistics().rail("a").open(), "counted down once");
      second.close();
      assertEquals(0, rails.statistics().rail("b").open());
    }
  }

  @Test
  void whenEveryRailFailsOneExceptionNamesEachRailAndNoRailIsMarkedDown() throws IOException {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = group(s.shim, RailPolicy.ROUND_ROBIN)) {
      int unused;
      try (ServerSocket probe = new ServerSocket(0, 1, A)) {
        unused = probe.getLocalPort();
      }
      Socket socket = rails.socketFactory().createSocket();
      ConnectException e = assertThrows(ConnectException.class,
          () -> socket.connect(new InetSocketAddress(A, unused)));
      assertTrue(e.getMessage().startsWith("Connect to /127.0.0.1:" + unused + " failed on every rail: "), e.getMessage());
      assertTrue(e.getMessage().contains("rail a to /127.0.0.1:" + unused + ": connection refused"), e.getMessage());
      assertTrue(e.getMessage().contains("rail b to /127.0.0.2:" + unused + ": connection refused"), e.getMessage());
      assertEquals(2, e.getSuppressed().length);
      assertTrue(socket.isClosed(), "a failed connect closes the socket, as the JDK's does");
      for (RailStatistics.RailCounts r : rails.statistics().rails()) {
        assertTrue(r.up(), "the peer is down, not a rail");
        assertEquals(0, r.failovers());
        assertEquals("connection refused", r.lastFailureReason());
        assertTrue(r.lastFailure() != null);
      }
    }
  }

  @Test
  void aPeerOutsideEveryRailAndASocketBoundByTheApplicationAreNotRailed() throws IOException {
    InetAddress c = address("127.0.0.3");
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = group(s.shim, RailPolicy.ROUND_ROBIN);
        ServerSocket onC = new ServerSocket(0, 50, c);
        ServerSocket onA = new ServerSocket(0, 50, A)) {
      try (Socket unrailed = rails.socketFactory().createSocket(c, onC.getLocalPort()); Socket peer = onC.accept()) {
        Loopback.exchange(unrailed, peer);
      }
      try (Socket bound = rails.socketFactory().createSocket()) {
        bound.bind(new InetSocketAddress(B, 0));
        bound.connect(new InetSocketAddress(A, onA.getLocalPort()));
        assertEquals(B, bound.getLocalAddress(), "connected from where the application bound it");
        onA.accept().close();
      }
      try (Socket fourArgs = rails.socketFactory().createSocket(A, onA.getLocalPort(), B, 0)) {
        assertEquals(B, fourArgs.getLocalAddress());
        onA.accept().close();
      }
      RailStatistics stats = rails.statistics();
      assertEquals(1, stats.unrailed());
      assertEquals(0, stats.rails().stream().mapToLong(RailStatistics.RailCounts::connects).sum());
    }
  }

  @Test
  void aBindToTheWildcardAndPortZeroChoosesNothingSoTheSocketStaysRailed() throws IOException {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = group(s.shim, RailPolicy.ROUND_ROBIN);
        ServerSocket onB = new ServerSocket(0, 50, B)) {
      for (InetSocketAddress wildcard : List.of(new InetSocketAddress(0), new InetSocketAddress((InetAddress) null, 0))) {
        // what JGroups' TCP transport does with every socket when client_bind_addr is not set
        try (Socket socket = rails.socketFactory().createSocket()) {
          socket.bind(wildcard);
          assertTrue(socket.isBound());
          socket.connect(new InetSocketAddress(A, onB.getLocalPort()), 2000);
          assertEquals(B, socket.getLocalAddress(), "failed over from rail a, where nobody listens, to rail b");
          onB.accept().close();
        }
      }
      assertEquals(2, rails.statistics().rail("b").connects());
      assertEquals(0, rails.statistics().unrailed());
    }
  }

  @Test
  void theUserTimeoutIsOnRailedConnectionsAndOnWhatTheGroupsListenersAccept() throws IOException {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = RailGroup.builder(s.shim).rail("a", "127.0.0.1/32", null).rail("b", "127.0.0.2/32", null)
            .userTimeout(Duration.ofMillis(1200)).build();
        ServerSocket listener = rails.serverSocketFactory().createServerSocket(0, 50, B)) {
      try (Socket socket = rails.socketFactory().createSocket(B, listener.getLocalPort());
          Socket accepted = listener.accept()) {
        assertEquals(1200, Libc.getsockoptInt(SocketDescriptors.fd(((RailSocketImpl.RailSocket) socket).current()),
            Libc.IPPROTO_TCP, Libc.TCP_USER_TIMEOUT));
        assertEquals(1200, Libc.getsockoptInt(SocketDescriptors.fd(listener), Libc.IPPROTO_TCP,
            Libc.TCP_USER_TIMEOUT));
        assertEquals(1200, Libc.getsockoptInt(SocketDescriptors.fd(accepted), Libc.IPPROTO_TCP,
            Libc.TCP_USER_TIMEOUT), "inherited from the listener");
      }
      // as JGroups makes its listener: unbound, options, then bound to the wildcard
      try (ServerSocket wildcard = rails.serverSocketFactory().createServerSocket()) {
        wildcard.setReuseAddress(true);
        wildcard.bind(new InetSocketAddress((InetAddress) null, 0));
        try (Socket socket = rails.socketFactory().createSocket(A, wildcard.getLocalPort());
            Socket accepted = wildcard.accept()) {
          assertEquals(1200, Libc.getsockoptInt(SocketDescriptors.fd(accepted), Libc.IPPROTO_TCP,
              Libc.TCP_USER_TIMEOUT), "inherited from the wildcard listener");
        }
      }
    }
  }

  @Test
  void railedSocketsAndTheRailServerAreConvertedByTheBindRules() throws IOException {
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.2 *");
        RailGroup rails = group(s.shim, RailPolicy.ROUND_ROBIN);
        RailServer server = rails.listen(0)) {
      assertEquals(List.of(new InetSocketAddress(A, server.port()), new InetSocketAddress(B, server.port())),
          server.localAddresses());
      Set<InetAddress> accepted = new HashSet<>();
      for (int i = 0; i < 2; i++) {
        try (Socket socket = rails.socketFactory().createSocket(A, server.port()); SocketChannel peer = server.accept()) {
          accepted.add(((InetSocketAddress) peer.getLocalAddress()).getAddress());
          Loopback.exchange(socket, peer.socket());
        }
      }
      assertEquals(Set.of(A, B), accepted, "the server accepts on both rails");
      ShimStatistics stats = s.stats();
      assertEquals(2, stats.rule(1).converted(), "rail b's listener and its connection; never rail a's");
      assertEquals(2, stats.bindChecks() - stats.rule(1).matched(), "rail a's listener and connection matched nothing");
      assertEquals(0, stats.connectChecks(), "railed sockets are bound first: connect rules never judge them");
    }
  }

  @Test
  void aBadRailsFileIsRefusedWithEveryFindingsFileLineAndCause() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.rails"),
        "rail a 127.0.0.1/32\nrail b 127.0.0.1/32\npolicy fastest\n");
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.0/8 *")) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> RailGroup.builder(s.shim).config(file).build());
      String[] lines = e.getMessage().split(System.lineSeparator());
      assertEquals("Invalid rails file " + file + " (2 errors, 0 warnings): sdp-shim will not run it; see sdpcheck"
          + " --rails " + file + " for explanations", lines[0]);
      assertTrue(lines[1].startsWith(file + ":2:1: error: rail b (127.0.0.1/32) overlaps rail a"), lines[1]);
      assertTrue(lines[2].startsWith(file + ":3:8: error: unknown policy 'fastest'"), lines[2]);
      assertEquals(List.of(Code.SDP402, Code.SDP401), e.diagnostics().stream().map(d -> d.code()).toList());

      InvalidConfigException missing = assertThrows(InvalidConfigException.class,
          () -> RailGroup.builder(s.shim).config(dir.resolve("none.rails")).build());
      assertTrue(missing.getMessage().startsWith("Cannot read the rails file: Error reading rails file "),
          missing.getMessage());

      InvalidConfigException built = assertThrows(InvalidConfigException.class,
          () -> RailGroup.builder(s.shim).rail("a", "127.0.0.1/8", null).rail("b", "127.0.0.2/8", null).build());
      assertTrue(built.getMessage().contains("rail group: error: rail b (127.0.0.2/8) overlaps rail a"),
          built.getMessage());
      IllegalArgumentException literal = assertThrows(IllegalArgumentException.class,
          () -> RailGroup.builder(s.shim).rail("a", "ib0.example/24", null));
      assertTrue(literal.getMessage().contains("is not a local unicast IP address literal"), literal.getMessage());
    }
  }

  @Test
  void theNoArgFactoryNamesTheMissingProperty() {
    assertNull(System.getProperty(RailGroup.RAILS_PROPERTY));
    InvalidConfigException e = assertThrows(InvalidConfigException.class, RailedSocketFactory::new);
    assertTrue(e.getMessage().startsWith("-Dsdpshim.rails is not set"), e.getMessage());
  }

  @Test
  void mxbeansAreRegisteredUnderTheProjectDomainAndRemovedOnClose() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try (Shims.Captured s = Shims.mptcp("bind 127.0.0.0/8 *")) {
      RailGroup rails = RailGroup.builder(s.shim).name("jmx-test").rail("a", "127.0.0.1/32", null)
          .rail("b", "127.0.0.2/32", "lo").build();
      try {
        assertEquals("round-robin", server.getAttribute(ShimMBeans.railGroupName("jmx-test"), "Policy"));
        assertEquals(2, server.getAttribute(ShimMBeans.railGroupName("jmx-test"), "RailCount"));
        assertEquals("lo", server.getAttribute(ShimMBeans.railName("jmx-test", "b"), "Device"));
        assertEquals("127.0.0.2/32", server.getAttribute(ShimMBeans.railName("jmx-test", "b"), "Address"));
        assertEquals(true, server.getAttribute(ShimMBeans.railName("jmx-test", "b"), "Up"));
        assertEquals("", server.getAttribute(ShimMBeans.railName("jmx-test", "b"), "LastFailure"));
      } finally {
        rails.close();
      }
      assertFalse(server.isRegistered(ShimMBeans.railGroupName("jmx-test")));
      assertFalse(server.isRegistered(ShimMBeans.railName("jmx-test", "a")));
    }
  }

  @Test
  void aRailedSocketLeavesItsPortToTheConnect() throws IOException {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = group(s.shim, RailPolicy.ROUND_ROBIN);
        ServerSocket onA = new ServerSocket(0, 50, A);
        Socket socket = rails.socketFactory().createSocket(A, onA.getLocalPort());
        Socket peer = onA.accept()) {
      int fd = SocketDescriptors.fd(((RailSocketImpl.RailSocket) socket).current());
      // IP_BIND_ADDRESS_NO_PORT: the port is unique per destination, not per rail address, so a
      // rail is not limited to one ephemeral range of connections
      assertEquals(1, Libc.getsockoptInt(fd, Libc.IPPROTO_IP, 24));
      // bounded by the group's timer, not by the JDK's timed connect, which leaves it non-blocking
      assertEquals(0, Libc.fcntl(fd, Libc.F_GETFL) & Libc.O_NONBLOCK, "the connected socket is still blocking");
      assertEquals(A, socket.getLocalAddress());
      assertTrue(socket.getLocalPort() > 0);
      Loopback.exchange(socket, peer);
    }
  }

  @Test
  void aConnectStillPendingAfterTheHedgeDelayIsWonByTheSameConnectOnTheNextRail() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        Unanswered onA = Unanswered.on(A);
        ServerSocket onB = new ServerSocket(onA.port(), 50, B);
        RailGroup rails = RailGroup.builder(s.shim).name("hedge-test").rail("a", "127.0.0.1/32", null)
            .rail("b", "127.0.0.2/32", null).policy(RailPolicy.LEAST_CONNECTIONS) // a first: ties go to it
            .connectTimeout(Duration.ofMillis(1000)).hedgeDelay(Duration.ofMillis(100))
            .probeInterval(Duration.ofSeconds(30)).build();
        Socket socket = rails.socketFactory().createSocket()) {
      socket.setTcpNoDelay(true);
      socket.setOption(StandardSocketOptions.SO_RCVBUF, 48 * 1024);
      long start = System.nanoTime();
      socket.connect(new InetSocketAddress(A, onA.port()));
      long millis = (System.nanoTime() - start) / 1_000_000;
      try (Socket peer = onB.accept()) {
        assertTrue(millis < 1000, "connected after " + millis + " ms: the hedge, not the 1 s timeout, decided");
        assertEquals(B, socket.getLocalAddress(), "the caller's Socket is the winning connection");
        assertTrue(socket.getTcpNoDelay(), "options set before the connect were given to the hedge");
        assertEquals(rcvbufAs(48 * 1024), socket.getReceiveBufferSize());
        Loopback.exchange(socket, peer);
      }
      RailStatistics st = rails.statistics();
      assertEquals(100, st.hedgeDelayMillis());
      assertEquals(1, st.rail("a").hedges());
      assertEquals(0, st.rail("a").connects());
      assertEquals(1, st.rail("b").connects());
      assertEquals(1L, server.getAttribute(ShimMBeans.railName("hedge-test", "a"), "Hedges"));
      assertEquals(100L, server.getAttribute(ShimMBeans.railGroupName("hedge-test"), "HedgeDelayMillis"));
      // a's connect was cut short, so a check connect judges it: it times out, b reached the peer
      long until = System.nanoTime() + 5_000_000_000L;
      while (rails.statistics().rail("a").up() && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      RailStatistics.RailCounts a = rails.statistics().rail("a");
      assertFalse(a.up(), "a is down after its check connect timed out");
      assertEquals(1, a.failovers());
      assertEquals("connect timed out after 1000 ms", a.lastFailureReason());
    }
  }

  @Test
  void withHedgingOffASlowRailCostsAWholeConnectTimeout() throws Exception {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        Unanswered onA = Unanswered.on(A);
        ServerSocket onB = new ServerSocket(onA.port(), 50, B);
        RailGroup rails = RailGroup.builder(s.shim).rail("a", "127.0.0.1/32", null).rail("b", "127.0.0.2/32", null)
            .policy(RailPolicy.LEAST_CONNECTIONS).connectTimeout(Duration.ofMillis(300)).hedgeDelay(Duration.ZERO)
            .probeInterval(Duration.ofSeconds(30)).build()) {
      long start = System.nanoTime();
      try (Socket socket = rails.socketFactory().createSocket(A, onA.port()); Socket peer = onB.accept()) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 300, "connected after " + millis + " ms, before a's connect timed out");
        assertEquals(B, socket.getLocalAddress());
      }
      RailStatistics.RailCounts a = rails.statistics().rail("a");
      assertEquals(0, a.hedges());
      assertEquals(0, rails.statistics().hedgeDelayMillis());
      assertFalse(a.up(), "timed out on a, connected on b: a is down at once");
      assertEquals("connect timed out after 300 ms", a.lastFailureReason());
    }
  }

  @Test
  void aConnectThatIsNotAnsweredEndsAtTheConnectTimeout() throws Exception {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        Unanswered onA = Unanswered.on(A);
        RailGroup rails = RailGroup.builder(s.shim).rail("a", "127.0.0.1/32", null)
            .connectTimeout(Duration.ofMillis(300)).probeInterval(Duration.ofSeconds(30)).build()) {
      long start = System.nanoTime();
      IOException e = assertThrows(IOException.class, () -> rails.socketFactory().createSocket(A, onA.port()));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 300 && millis < 3000, "the connect ended after " + millis + " ms");
      assertTrue(e.getMessage().contains("connect timed out after 300 ms"), e.getMessage());
      assertEquals("connect timed out after 300 ms", rails.statistics().rail("a").lastFailureReason());
    }
  }

  @Test
  void aRailedConnectGoesToThePeerNotToTheJvmsSocksProxy() throws IOException {
    ProxySelector jvms = ProxySelector.getDefault();
    List<URI> asked = new CopyOnWriteArrayList<>();
    ProxySelector.setDefault(new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        asked.add(uri);
        return List.of(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(A, 9)));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
      }
    });
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *");
        RailGroup rails = group(s.shim, RailPolicy.ROUND_ROBIN);
        ServerSocket onA = new ServerSocket(0, 50, A);
        Socket socket = rails.socketFactory().createSocket(A, onA.getLocalPort());
        Socket peer = onA.accept()) {
      assertEquals(List.of(), asked, "the proxy selector was consulted");
      Loopback.exchange(socket, peer);
    } finally {
      ProxySelector.setDefault(jvms);
    }
  }

  @Test
  void aRailOnAnIpv6SubnetBindsTheRailsIpv6Address() throws IOException {
    InetAddress v6 = address("::1");
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind ::1 *");
        RailGroup rails = RailGroup.builder(s.shim).rail("v6", "::1/128", null).build();
        ServerSocket on = new ServerSocket(0, 50, v6);
        Socket socket = rails.socketFactory().createSocket(v6, on.getLocalPort());
        Socket peer = on.accept()) {
      assertEquals(v6, socket.getLocalAddress());
      assertEquals(socket.getLocalPort(), peer.getPort());
      assertEquals(1, rails.statistics().rail("v6").connects());
      Loopback.exchange(socket, peer);
    }
  }

  @Test
  void aHedgeDelayNotShorterThanTheConnectTimeoutIsRefused() {
    try (Shims.Captured s = Shims.shim(Protocol.TCP, Fallback.TCP, "bind 127.0.0.0/8 *")) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> RailGroup.builder(s.shim)
          .rail("a", "127.0.0.1/32", null).connectTimeout(Duration.ofMillis(200)).hedgeDelay(Duration.ofMillis(200))
          .build());
      assertTrue(e.getMessage().contains("error: hedge-delay 200 ms is not shorter than connect-timeout 200 ms"),
          e.getMessage());
      assertEquals(Code.SDP401, e.diagnostics().get(0).code());
    }
  }

  /** What the kernel reports for SO_RCVBUF after {@code bytes} was set (it doubles it). */
  private static int rcvbufAs(int bytes) throws IOException {
    try (Socket plain = new Socket()) {
      plain.setReceiveBufferSize(bytes);
      return plain.getReceiveBufferSize();
    }
  }

  /**
   * A listener whose accept queue is full: the kernel drops further SYNs, so a connect to it stays
   * pending until its timeout, as to a peer whose link died. Filled with connections until one
   * does not complete (a bounded number of tries: the queue holds backlog + 1).
   */
  private record Unanswered(ServerSocket listener, List<Socket> fillers) implements AutoCloseable {
    static Unanswered on(InetAddress address) throws IOException {
      ServerSocket listener = new ServerSocket(0, 1, address);
      List<Socket> fillers = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 16; i++) {
          Socket filler = new Socket();
          fillers.add(filler);
          try {
            filler.connect(listener.getLocalSocketAddress(), 200);
          } catch (java.net.SocketTimeoutException full) {
            return new Unanswered(listener, fillers);
          }
        }
      } catch (IOException | RuntimeException e) {
        new Unanswered(listener, fillers).close();
        throw e;
      }
      new Unanswered(listener, fillers).close();
      throw new IllegalStateException("the accept queue of a backlog-1 listener never filled up");
    }

    int port() {
      return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      for (Socket f : fillers) {
        f.close();
      }
      listener.close();
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
