package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rails on real links: a client and a server namespace joined by two veth pairs (rail r1 is
 * 10.71.1.0/24, rail r2 10.71.2.0/24), a server listening on both rails, and a railed client, each
 * in its own JVM inside its namespace. Needs root (for {@code ip netns}); skipped with the reason
 * otherwise. The timings are written to {@code target/rails-timing.txt}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RailsIT {
  private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
  private static final Duration ANSWER = Duration.ofSeconds(30);
  /** Slack on a 2-core machine shared with other builds: process round trips, scheduling. */
  private static final long SLACK_MS = 1000;
  private static final String RULES = "bind 10.71.0.0/16 *\n";
  private static final Path TIMING = Path.of("target", "rails-timing.txt");

  @TempDir static Path dir;
  private static Netns net;
  private static PeerProcess server;
  private static int port;

  @BeforeAll
  static void startServer() throws IOException {
    String unavailable = Netns.unavailable();
    assumeTrue(unavailable == null, () -> "RailsIT skipped: " + unavailable);
    net = Netns.create();
    Files.deleteIfExists(TIMING); // this run's numbers only
    Path first = write("server-2.rails", rails("10.71.1.2", "10.71.2.2", net.serverLink(1), net.serverLink(2),
        "round-robin", PROBE_INTERVAL));
    Path second = write("server-3.rails", rails("10.71.1.3", "10.71.2.3", net.serverLink(1), net.serverLink(2),
        "round-robin", PROBE_INTERVAL));
    server = PeerProcess.start(net.server, dir, "server", rules().toString(), "tcp", "0", first.toString(),
        second.toString());
    port = Integer.parseInt(server.readyArgument());
  }

  @AfterAll
  static void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (net != null) {
        net.close();
      }
    }
  }

  @Test
  void roundRobinSpreadsAHundredConnectionsEvenlyAndTheMxBeansAgree() throws IOException {
    try (PeerProcess client = client("round-robin", PROBE_INTERVAL, "tcp")) {
      Map<String, Integer> rails = count(client.ask("open 100 10.71.1.2 " + port, ANSWER));
      assertEquals(Map.of("r1", 50, "r2", 50), rails);
      String stats = client.ask("stats", ANSWER);
      assertEquals("STATS r1,true,50,50,0,0,,0 r2,true,50,50,0,0,,0", stats);
      assertEquals(stats, client.ask("mbeans", ANSWER));
      client.ask("close all", ANSWER);
      assertEquals("STATS r1,true,0,50,0,0,,0 r2,true,0,50,0,0,,0", client.ask("stats", ANSWER));
    }
  }

  @Test
  void leastConnectionsPutsNewConnectionsOnTheRailWithFewestOpen() throws IOException {
    try (PeerProcess client = client("least-connections", PROBE_INTERVAL, "tcp")) {
      assertEquals(Map.of("r1", 5, "r2", 5), count(client.ask("open 10 10.71.1.2 " + port, ANSWER)));
      client.ask("close r2", ANSWER);
      assertEquals(Map.of("r2", 4), count(client.ask("open 4 10.71.1.2 " + port, ANSWER)),
          "r2 has fewer open connections (0..4) than r1 (5)");
      assertEquals(List.of("r2", "r1"), rails(client.ask("open 2 10.71.1.2 " + port, ANSWER)),
          "5 against 4 goes to r2, then the 5-5 tie to the first rail");
    }
  }

  @Test
  void stickyKeepsEachPeerOnItsRail() throws IOException {
    try (PeerProcess client = client("sticky", PROBE_INTERVAL, "tcp")) {
      Map<String, Integer> first = count(client.ask("open 10 10.71.1.2 " + port, ANSWER));
      Map<String, Integer> second = count(client.ask("open 10 10.71.1.3 " + port, ANSWER));
      assertEquals(1, first.size(), "every connection to peer .2 on one rail: " + first);
      assertEquals(1, second.size(), "every connection to peer .3 on one rail: " + second);
      assertNotEquals(first.keySet(), second.keySet(), "the second peer was placed on the next rail");
      assertEquals(first, count(client.ask("open 10 10.71.2.2 " + port, ANSWER)),
          "the same peer by its address on r2 keeps its rail");
    }
  }

  @Test
  void railWhoseLinkGoesDownFailsOverAtOnceAndFailsBackWithinAProbeInterval() throws Exception {
    try (PeerProcess client = client("round-robin", PROBE_INTERVAL, "tcp")) {
      Outage o = outage(client, net.client, net.clientLink(1), "link down (r1 client side)", PROBE_INTERVAL, r1 -> {
        assertTrue(r1[6].contains("unreachable"), r1[6]);
        assertTrue(client.log().contains("failed over to rail r2"), client.log());
        assertEquals(Map.of("r2", 10), count(client.ask("open 10 10.71.1.2 " + port, ANSWER)));
      });
      assertTrue(o.failover() <= CONNECT_TIMEOUT.toMillis(), "failover took " + o.failover() + " ms");
      assertEquals("1", railStats(client.ask("stats", ANSWER), "r1")[5], "one failback counted");
      assertTrue(client.log().contains("rail r1 (10.71.1.1/24) is back"), client.log());
    }
  }

  @Test
  void aConnectPendingOnADeadPeerLinkIsHedgedOnTheOtherRailWithinOneConnectTimeout() throws Exception {
    Duration probe = Duration.ofSeconds(3); // the connect, not the link watch, must find the failure
    try (PeerProcess client = client("round-robin", probe, "tcp")) {
      Outage o = outage(client, net.server, net.serverLink(1), "peer link down (r1 server side)", probe, r1 -> {
        assertEquals("connect_timed_out_after_500_ms", r1[6], "r1's check connect timed out");
        assertEquals("1", r1[7], "the first connect on r1 was hedged");
        assertTrue(client.log().contains("was not done after 250 ms; the same connect on rail r2"), client.log());
      });
      // The connect itself, timed in the client: the old sequence waited out the whole timeout.
      assertTrue(o.firstConnect() < CONNECT_TIMEOUT.toMillis(), "the first connect took " + o.firstConnect() + " ms");
      assertTrue(o.failover() <= CONNECT_TIMEOUT.toMillis() + SLACK_MS, "failover took " + o.failover() + " ms");
    }
  }

  @Test
  void aRailWhosePeerIsGoneForGoodComesBackThroughAnotherPeerItReaches() throws Exception {
    // Peer A (.3) loses its r1 address for good; peer B (.2) is reachable on both rails. r1 is
    // marked down probing A; once B has been reached (on r2), the prober tries B on r1 as well.
    String a = "10.71.1.3/24";
    try (PeerProcess client = client("round-robin", PROBE_INTERVAL, "tcp")) {
      // r1, r2: the next connect starts on r1
      assertEquals(List.of("r1", "r2"), rails(client.ask("open 2 10.71.1.3 " + port, ANSWER)));
      Netns.ip("-n", net.server, "addr", "del", a, "dev", net.serverLink(1));
      try {
        assertEquals(List.of("r2"), rails(client.ask("open 1 10.71.1.3 " + port, ANSWER)));
        await(client, "r1 down", r1 -> r1[1].equals("false"), CONNECT_TIMEOUT.toMillis() * 2 + SLACK_MS);
        Thread.sleep(PROBE_INTERVAL.toMillis() + CONNECT_TIMEOUT.toMillis()); // a probe round reaching only A
        assertEquals("false", railStats(client.ask("stats", ANSWER), "r1")[1], "A alone cannot bring r1 back");
        assertEquals(List.of("r2"), rails(client.ask("open 1 10.71.1.2 " + port, ANSWER)), "B, on r2: r1 is down");
        long reachedB = System.nanoTime();
        await(client, "r1 back", r1 -> r1[1].equals("true"),
            PROBE_INTERVAL.toMillis() + CONNECT_TIMEOUT.toMillis() + SLACK_MS);
        timing("peer gone for good, another peer reached, r1 back", millisSince(reachedB), "probe interval",
            PROBE_INTERVAL.toMillis());
        assertTrue(client.log().contains("a probe connect to /10.71.1.2:" + port + " succeeded"), client.log());
      } finally {
        Netns.ip("-n", net.server, "addr", "add", a, "dev", net.serverLink(1));
      }
    }
  }

  /** Polls the client's statistics of r1 until {@code done}, at most {@code millis}. */
  private static void await(PeerProcess client, String what, java.util.function.Predicate<String[]> done,
      long millis) throws Exception {
    long start = System.nanoTime();
    while (!done.test(railStats(client.ask("stats", ANSWER), "r1"))) {
      assertTrue(millisSince(start) <= millis, what + ": not after " + millisSince(start) + " ms\n" + client.log());
      Thread.sleep(20);
    }
  }

  @Test
  void railWhoseInterfaceIsDownIsLeftOutWithoutAFailedConnect() throws Exception {
    try (PeerProcess client = client("round-robin", PROBE_INTERVAL, "tcp")) {
      String link = net.clientLink(2);
      net.link(net.client, link, false);
      try {
        Thread.sleep(PROBE_INTERVAL.toMillis() * 2); // the prober reads the link state meanwhile
        String[] r2 = railStats(client.ask("stats", ANSWER), "r2");
        assertEquals("false", r2[1], "r2 is down");
        assertEquals("interface_" + link + "_is_down", r2[6]);
        assertEquals(Map.of("r1", 6), count(client.ask("open 6 10.71.1.2 " + port, ANSWER)));
        assertEquals("0", railStats(client.ask("stats", ANSWER), "r2")[4], "no connect had to fail over");
      } finally {
        net.link(net.client, link, true);
      }
      long up = System.nanoTime();
      // Back when the interface reports running again: after the kernel's link watch (up to 1 s)
      // and the next probe round.
      while (!railStats(client.ask("stats", ANSWER), "r2")[1].equals("true")) {
        assertTrue(millisSince(up) <= 2 * PROBE_INTERVAL.toMillis() + SLACK_MS, "r2 not back after "
            + millisSince(up) + " ms\n" + client.log());
        Thread.sleep(50);
      }
      assertTrue(count(client.ask("open 2 10.71.1.2 " + port, ANSWER)).containsKey("r2"));
    }
  }

  /**
   * Milliseconds from link down to the first failover connect (as the test sees it, process round
   * trips included), from link up to a connect on r1, and the first connect's own duration as
   * the client timed it.
   */
  private record Outage(long failover, long failback, long firstConnect) {}

  @FunctionalInterface
  private interface WhileDown {
    void check(String[] r1Stats) throws Exception;
  }

  /**
   * Takes {@code link} of namespace {@code ns} (rail r1) down: the next two connects both land on
   * r2, r1 is down with one failover counted, then {@code whileDown} checks more. Brings the link
   * up again (also on failure) and connects until one lands on r1, within {@code probe} and slack.
   */
  private static Outage outage(PeerProcess client, String ns, String link, String what, Duration probe,
      WhileDown whileDown) throws Exception {
    client.ask("open 4 10.71.1.2 " + port, ANSWER);
    long down = System.nanoTime();
    net.link(ns, link, false);
    long failover;
    long firstConnect;
    try {
      String answer = client.ask("open 2 10.71.1.2 " + port, ANSWER);
      failover = millisSince(down);
      firstConnect = Long.parseLong(answer.split(" ")[1].split(":")[1]) / 1000;
      List<String> after = rails(answer);
      assertEquals(List.of("r2", "r2"), after);
      // At once when the connect failed; when it was hedged, once r1's check connect times out.
      await(client, "r1 down", r -> r[1].equals("false"), CONNECT_TIMEOUT.toMillis() + SLACK_MS);
      String[] r1 = railStats(client.ask("stats", ANSWER), "r1");
      assertEquals("1", r1[4], "one failover counted on r1");
      whileDown.check(r1);
      timing(what + ", first failover connect", failover, "connect timeout", CONNECT_TIMEOUT.toMillis());
    } finally {
      net.link(ns, link, true);
    }
    long failback = untilOnR1(client, millisSince(down));
    assertTrue(failback <= probe.toMillis() + SLACK_MS, "failback took " + failback + " ms");
    timing(what.replace("down", "up") + ", first connect on r1", failback, "probe interval", probe.toMillis());
    return new Outage(failover, failback, firstConnect);
  }

  @Test
  void mptcpStreamKeepsEveryByteInOrderWhenItsFirstRailGoesDown() throws Exception {
    Path rails = write("mptcp-server.rails", rails("10.71.1.2", "10.71.2.2", net.serverLink(1), net.serverLink(2),
        "round-robin", PROBE_INTERVAL));
    try (PeerProcess mptcpServer = PeerProcess.start(net.server, dir, "server", rules().toString(), "mptcp", "0",
            rails.toString());
        PeerProcess client = client("least-connections", PROBE_INTERVAL, "mptcp")) {
      int mptcpPort = Integer.parseInt(mptcpServer.readyArgument());
      long bytes = 48L << 20; // three seconds at the peer's pace
      assertEquals("OK r1", client.ask("stream 10.71.1.2 " + mptcpPort + " " + bytes, ANSWER));
      assertEquals("OK 1", client.ask("shimstats", ANSWER), "the railed socket was converted to MPTCP");
      Thread.sleep(1000);
      String link = net.clientLink(1);
      net.link(net.client, link, false);
      try {
        String[] result = client.ask("streamed", Duration.ofSeconds(90)).split(" ");
        assertEquals("SENT", result[0]);
        assertEquals(Long.toString(bytes), result[1]);
        assertEquals(result[1], result[4], "bytes received");
        assertEquals(result[2], result[5], "SHA-256 of the stream at both ends");
      } finally {
        net.link(net.client, link, true);
      }
    }
  }

  private static PeerProcess client(String policy, Duration probe, String protocol) throws IOException {
    Path rails = write("client-" + policy + "-" + System.nanoTime() + ".rails", rails("10.71.1.1", "10.71.2.1",
        net.clientLink(1), net.clientLink(2), policy, probe));
    return PeerProcess.start(net.client, dir, "client", rules().toString(), protocol, rails.toString());
  }

  /** Connects every 50 ms until one lands on r1; the time since {@code t0} (ms ago) when it did. */
  private static long untilOnR1(PeerProcess client, long sinceDownMs) throws Exception {
    long up = System.nanoTime();
    while (millisSince(up) < 20_000) {
      if (rails(client.ask("open 1 10.71.1.2 " + port, ANSWER)).contains("r1")) {
        return millisSince(up);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no connection on r1 within 20 s of the link coming up ("
        + sinceDownMs + " ms after it went down)\n" + client.log());
  }

  private static String rails(String a, String b, String linkA, String linkB, String policy, Duration probe) {
    return "rail r1 " + a + "/24 dev " + linkA + "\nrail r2 " + b + "/24 dev " + linkB + "\npolicy " + policy
        + "\nconnect-timeout " + CONNECT_TIMEOUT.toMillis() + "ms\nprobe-interval " + probe.toMillis() + "ms\n";
  }

  private static Path rules() throws IOException {
    return write("sdp.conf", RULES);
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  /** The rails of an "OK r1:micros r2:micros ..." answer, in order. */
  private static List<String> rails(String answer) {
    return Arrays.stream(answer.split(" ")).skip(1).map(r -> r.substring(0, r.indexOf(':'))).toList();
  }

  private static Map<String, Integer> count(String answer) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    rails(answer).forEach(r -> counts.merge(r, 1, Integer::sum));
    return counts;
  }

  /** name, up, open, connects, failovers, failbacks, lastFailureReason, hedges of one rail. */
  private static String[] railStats(String stats, String rail) {
    return Arrays.stream(stats.split(" ")).filter(s -> s.startsWith(rail + ",")).findFirst()
        .orElseThrow(() -> new AssertionError(rail + " not in " + stats)).split(",", -1);
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static void timing(String what, long millis, String target, long targetMillis) throws IOException {
    Files.writeString(TIMING, String.format("%-58s %6d ms  (target: %s %d ms)%n",
        what, millis, target, targetMillis), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
