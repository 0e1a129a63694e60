package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sdpshim.shim.Netns;
import dev.sdpshim.shim.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster over rails on real links, and a rail that dies under its established connections. Two
 * namespaces joined by two veth pairs (the shim's {@link Netns}: rail 1 is 10.71.1.0/24, rail 2
 * 10.71.2.0/24): member a in one (10.71.x.1), b and c in the other (10.71.x.2, 10.71.x.3), each a
 * {@link RailedMember} in its own JVM, with user-timeout 1s. All three stream messages to all;
 * mid-stream the link of a rail that carries a connection of a's to b goes down on a's side, and
 * comes back 4 s later. Every member must get every message of every member exactly once and in
 * order, nobody may leave the view, and a must be connected to b and c on the other rail, over
 * which they keep getting a's messages while the link is down. Needs root
 * (for {@code ip netns}); skipped with the reason otherwise. Timings go to
 * {@code target/railed-cluster-timing.txt}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RailedClusterIT {
  private static final int MESSAGES = 3000;
  private static final int PAUSE_MS = 3;
  private static final Duration ANSWER = Duration.ofSeconds(30);
  private static final List<String> NAMES = List.of("a", "b", "c");
  private static final List<Integer> PORTS = List.of(7800, 7801, 7802);
  private static final Path TIMING = Path.of("target", "railed-cluster-timing.txt");

  @TempDir Path dir;

  @Test
  void aRailDyingUnderTheClusterLosesNoMessageAndNoMemberAndTheTrafficMovesToTheOtherRail() throws Exception {
    String unavailable = Netns.unavailable();
    assumeTrue(unavailable == null, () -> "RailedClusterIT skipped: " + unavailable);
    Files.writeString(dir.resolve("sdp.conf"), "bind 10.71.0.0/16 *\n");
    try (Netns net = Netns.create(); Members members = new Members()) {
      String cluster = "railed-" + ProcessHandle.current().pid();
      String peers = "10.71.1.1:7800,10.71.1.2:7801,10.71.1.3:7802";
      for (int i = 0; i < 3; i++) {
        boolean a = i == 0;
        String ns = a ? net.client : net.server;
        Path rails = Files.writeString(dir.resolve(NAMES.get(i) + ".rails"), String.join("\n",
            "rail r1 10.71.1." + (i + 1) + "/24 dev " + (a ? net.clientLink(1) : net.serverLink(1)),
            "rail r2 10.71.2." + (i + 1) + "/24 dev " + (a ? net.clientLink(2) : net.serverLink(2)),
            "connect-timeout 500ms", "probe-interval 1s", "user-timeout 1s", ""));
        members.add(PeerProcess.start(ns, dir, RailedMember.class, NAMES.get(i), cluster,
            "10.71.1." + (i + 1), PORTS.get(i).toString(), peers, rails.toString(), dir.resolve("sdp.conf").toString()));
      }
      await(Duration.ofSeconds(20), () -> members.all(m -> m.ask("view", ANSWER).startsWith("VIEW 3 ")),
          () -> members.ask("view"));
      await(Duration.ofSeconds(20), () -> railsOf(net, "10.71.1.2").size() + railsOf(net, "10.71.1.3").size() > 0,
          () -> ss(net));
      int dead = railsOf(net, "10.71.1.2").isEmpty() ? railsOf(net, "10.71.1.3").getFirst()
          : railsOf(net, "10.71.1.2").getFirst();
      int other = 3 - dead;
      List<Integer> viewChanges = members.viewChanges();

      for (PeerProcess m : members.list) {
        assertEquals("STREAMING", m.ask("stream " + MESSAGES + " " + PAUSE_MS, ANSWER));
      }
      Thread.sleep(2000);
      String before = ss(net);
      List<Long> fromAAtDown = members.receivedFrom("a");
      long down = System.nanoTime();
      net.link(net.client, net.clientLink(dead), false);
      // the dead rail's connections with data in flight are closed by the kernel (user timeout);
      // the reconnects are railed, and a rail whose link is down is skipped. While the link is
      // down, what b and c get from a comes over the other rail.
      await(Duration.ofSeconds(15), () -> {
        List<Long> now = members.receivedFrom("a");
        return now.get(1) - fromAAtDown.get(1) >= 50 && now.get(2) - fromAAtDown.get(2) >= 50;
      }, () -> "a's messages at b and c: " + fromAAtDown + " when the link went down, " + members.receivedFrom("a")
          + " now (thread dumps: " + members.ask("threads") + " in the logs); connections of a:\n" + ss(net)
          + "\nof b and c (retransmissions, timers):\n" + ss(net.server, "-Htnoi"));
      long flowing = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
      await(Duration.ofSeconds(15), () -> railsOf(net, "10.71.1.2").contains(other)
          && railsOf(net, "10.71.1.3").contains(other), () -> ss(net));
      Thread.sleep(Math.max(0, 4000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down)));
      String during = ss(net);
      net.link(net.client, net.clientLink(dead), true);

      await(Duration.ofSeconds(40), () -> members.all(m -> m.ask("sent", ANSWER).equals("SENT " + MESSAGES)),
          () -> members.ask("sent"));
      String complete = NAMES.stream().map(n -> n + ":" + MESSAGES + ":0:").reduce((x, y) -> x + " " + y).orElseThrow();
      await(Duration.ofSeconds(20), () -> members.all(m -> counts(m.ask("received", ANSWER)).equals(complete)),
          () -> members.ask("received"));
      for (PeerProcess m : members.list) {
        String received = m.ask("received", ANSWER);
        assertEquals(complete, counts(received), "every message of every member once, in order: " + received);
      }
      assertEquals(viewChanges, members.viewChanges(), "nobody left or joined: " + members.ask("view"));
      for (PeerProcess m : members.list) {
        assertTrue(m.ask("view", ANSWER).startsWith("VIEW 3 "));
      }
      String railsOfA = members.list.getFirst().ask("rails", ANSWER);

      long gap = maxGapFrom("a", members);
      Files.createDirectories(TIMING.getParent());
      Files.writeString(TIMING, String.format(
          "rail %d of a down -> b and c got 50 more messages of a each (over rail %d): %d ms%n"
              + "longest gap between two messages of a at b or c (includes the failover): %d ms%n"
              + "a's rails (name:connects:open:failovers): %s%nconnections of a before:%n%s"
              + "connections of a with rail %d down:%n%s",
          dead, other, flowing, gap, railsOfA, before, dead, during));
    }
  }

  /** The members' answers with the gap column dropped: NAME:COUNT:VIOLATIONS: per sender. */
  private static String counts(String received) {
    return Arrays.stream(received.substring("RECEIVED ".length()).split(" "))
        .map(s -> s.substring(0, s.lastIndexOf(':') + 1)).reduce((x, y) -> x + " " + y).orElse("");
  }

  private static long maxGapFrom(String sender, Members members) throws IOException {
    long max = 0;
    for (PeerProcess m : members.list.subList(1, 3)) {
      for (String s : m.ask("received", ANSWER).substring("RECEIVED ".length()).split(" ")) {
        if (s.startsWith(sender + ":")) {
          max = Math.max(max, Long.parseLong(s.substring(s.lastIndexOf(':') + 1)));
        }
      }
    }
    return max;
  }

  /**
   * The rails (third octet of a's address) of a's established transport connections with
   * {@code peer}, the peer named by its rail-1 address; a connection's transport port is 7800-7802.
   */
  private static List<Integer> railsOf(Netns net, String peer) {
    String host = peer.substring(peer.lastIndexOf('.'));
    List<Integer> rails = new ArrayList<>();
    for (String line : ss(net).lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4) {
        continue;
      }
      String local = f[2].replace("[::ffff:", "").replace("]", ""); // the JDK's sockets are IPv6
      String remote = f[3].replace("[::ffff:", "").replace("]", "");
      boolean transport = PORTS.stream().anyMatch(p -> local.endsWith(":" + p) || remote.endsWith(":" + p));
      if (transport && remote.startsWith("10.71.") && remote.substring(0, remote.indexOf(':')).endsWith(host)) {
        rails.add(Integer.parseInt(local.split("\\.")[2]));
      }
    }
    return rails.stream().distinct().sorted().toList();
  }

  /** a's established TCP connections: {@code ss} in a's namespace. */
  private static String ss(Netns net) {
    return ss(net.client, "-Htn");
  }

  /** Established TCP connections in namespace {@code ns}, by {@code ss OPTIONS}. */
  private static String ss(String ns, String options) {
    try {
      Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ss", options, "state", "established")
          .redirectErrorStream(true).start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean holds() throws IOException;
  }

  @FunctionalInterface
  private interface MemberCheck {
    boolean holds(PeerProcess member) throws IOException;
  }

  @FunctionalInterface
  private interface State {
    String describe() throws IOException;
  }

  private static void await(Duration limit, Check check, State state) throws IOException, InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + limit + ": " + state.describe());
      }
      Thread.sleep(50);
    }
  }

  /** The members' processes, closed (each asked to quit) also when the test fails. */
  private static final class Members implements AutoCloseable {
    final List<PeerProcess> list = new ArrayList<>();

    void add(PeerProcess member) {
      list.add(member);
    }

    boolean all(MemberCheck check) throws IOException {
      for (PeerProcess m : list) {
        if (!check.holds(m)) {
          return false;
        }
      }
      return true;
    }

    String ask(String command) throws IOException {
      Map<String, String> answers = new LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        answers.put(NAMES.get(i), list.get(i).ask(command, ANSWER));
      }
      return answers.toString();
    }

    /** How many messages of {@code sender} each member has received. */
    List<Long> receivedFrom(String sender) throws IOException {
      List<Long> counts = new ArrayList<>();
      for (PeerProcess m : list) {
        long count = 0;
        for (String s : m.ask("received", ANSWER).substring("RECEIVED ".length()).split(" ")) {
          if (s.startsWith(sender + ":")) {
            count = Long.parseLong(s.split(":")[1]);
          }
        }
        counts.add(count);
      }
      return counts;
    }

    List<Integer> viewChanges() throws IOException {
      List<Integer> changes = new ArrayList<>();
      for (PeerProcess m : list) {
        changes.add(Integer.parseInt(m.ask("view", ANSWER).split(" ")[2]));
      }
      return changes;
    }

    /** Quits them, and keeps their logs in target/ (the temporary directory goes). */
    @Override
    public void close() {
      list.forEach(PeerProcess::close);
      for (int i = 0; i < list.size(); i++) {
        try {
          Files.writeString(TIMING.resolveSibling("railed-cluster-" + NAMES.get(i) + ".log"), list.get(i).log());
        } catch (IOException e) {
          // the test's outcome stands without them
        }
      }
    }
  }
}
