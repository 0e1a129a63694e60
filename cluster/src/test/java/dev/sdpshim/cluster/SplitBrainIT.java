package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Split brains resolved by PANIC, with a {@link Network} of switches modelling the cuts. The
 * target: one cluster again within 5 s of the link being restored.
 */
@Timeout(120)
class SplitBrainIT {
  private static final Duration HEALED = Duration.ofSeconds(5);
  /** A partition is seen when FD_ALL3 times out (4 s + 0.5 s) and WITNESS confirms. */
  private static final Duration PARTITIONED = Duration.ofSeconds(10);

  /** The write-up's scenario: 1-3 on switch A, 4-6 on switch B, the link between them cut. */
  @Test
  void theSmallerOrYoungerIslandPanicsAndRejoinsTheSeniorsClusterWithNewIdentities() throws Exception {
    try (TestCluster cluster = new TestCluster("writeup", 6)) {
      List<String> all = cluster.startAll("A", "A", "A", "B", "B", "B");
      assertEquals("m1", cluster.node("m6").member.senior().name());

      cluster.network.cut("A", "B");
      List<String> a = List.of("m1", "m2", "m3");
      List<String> b = List.of("m4", "m5", "m6");
      Await.until(PARTITIONED, () -> cluster.allSee(a, a) && cluster.allSee(b, b), cluster::views);
      assertEquals("m1", cluster.node("m3").member.senior().name(), "senior of island A");
      assertEquals("m4", cluster.node("m6").member.senior().name(), "senior of island B");

      Map<String, Member> before = identities(cluster, all);
      System.out.printf("write-up scenario: restoring the link at %s%n", java.time.LocalTime.now());
      cluster.network.restore("A", "B");
      Duration healed = Await.until(HEALED, () -> cluster.allSee(all, a, 6)
          && b.stream().allMatch(m -> !cluster.node(m).member.self().equals(before.get(m))), cluster::views);

      Member senior = cluster.node("m1").member.self();
      for (String m : all) {
        assertEquals(senior, cluster.node(m).member.senior(), m + "'s senior after the panic");
      }
      for (String m : a) {
        assertEquals(before.get(m), cluster.node(m).member.self(), m + " kept its identity");
        assertTrue(cluster.node(m).panics.isEmpty(), m + " did not panic");
      }
      for (String m : b) {
        TestCluster.Node node = cluster.node(m);
        assertNotEquals(before.get(m), node.member.self(), m + " rejoined with a new identity");
        assertTrue(node.member.self().joined().isAfter(before.get(m).joined()), m + " has a later join time");
        assertEquals(1, node.panics.size(), m + " was told once to discard its state");
        Panic panic = node.panics.getFirst();
        assertEquals(before.get("m1"), panic.winner());
        assertEquals(before.get("m4"), panic.loser());
        assertEquals(3, panic.winnerSize());
        assertEquals(3, panic.loserSize());
        Await.until(Duration.ofSeconds(2), () -> node.incarnations.size() == 1, node.incarnations::toString);
        assertEquals(List.of(before.get(m)), node.previousIncarnations, m + "'s rejoin reports the old identity");
        assertEquals(List.of(node.member.self()), node.incarnations, m + "'s rejoin reports the new identity");
      }
      System.out.printf("write-up scenario: one cluster %d ms after the link was restored%n", healed.toMillis());
    }
  }

  @Test
  void ofTwoEqualIslandsTheOneWithTheYoungerSeniorLoses() throws Exception {
    try (TestCluster cluster = new TestCluster("equal", 4)) {
      // Join order m1, m2, m3, m4; islands {m1, m3} and {m2, m4}: m2 is younger than m1.
      List<String> all = cluster.startAll("A", "B", "A", "B");
      cluster.network.cut("A", "B");
      Await.until(PARTITIONED, () -> cluster.allSee(List.of("m1", "m3"), List.of("m1", "m3"))
          && cluster.allSee(List.of("m2", "m4"), List.of("m2", "m4")), cluster::views);
      Map<String, Member> before = identities(cluster, all);

      cluster.network.restore("A", "B");
      Await.until(HEALED, () -> cluster.allSee(all, List.of("m1", "m3"), 4), cluster::views);
      assertEquals(before.get("m1"), cluster.node("m4").member.senior());
      assertEquals(before.get("m3"), cluster.node("m3").member.self());
      assertNotEquals(before.get("m2"), cluster.node("m2").member.self());
      assertEquals(before.get("m2"), cluster.node("m2").panics.getFirst().loser());
      assertTrue(cluster.node("m1").panics.isEmpty() && cluster.node("m3").panics.isEmpty());
    }
  }

  @Test
  void aOneMemberIslandLosesEvenWithTheSenior() throws Exception {
    try (TestCluster cluster = new TestCluster("single", 3)) {
      List<String> all = cluster.startAll("A", "B", "B");
      cluster.network.cut("A", "B");
      Await.until(PARTITIONED, () -> cluster.allSee(List.of("m1"), List.of("m1"))
          && cluster.allSee(List.of("m2", "m3"), List.of("m2", "m3")), cluster::views);
      Member oldSenior = cluster.node("m1").member.self();

      cluster.network.restore("A", "B");
      Await.until(HEALED, () -> cluster.allSee(all, List.of("m2", "m3", "m1")), cluster::views);
      assertNotEquals(oldSenior, cluster.node("m1").member.self(), "the former senior rejoined anew");
      assertEquals(1, cluster.node("m1").panics.size());
      assertEquals(2, cluster.node("m1").panics.getFirst().winnerSize());
    }
  }

  @Test
  void threeIslandsAtOnceEndAsTheLargestIslandsCluster() throws Exception {
    try (TestCluster cluster = new TestCluster("three", 6)) {
      // A = {m1}, B = {m2, m3}, C = {m4, m5, m6}: C wins although m1 and m2 are older.
      List<String> all = cluster.startAll("A", "B", "B", "C", "C", "C");
      cluster.network.cut("A", "B");
      cluster.network.cut("A", "C");
      cluster.network.cut("B", "C");
      Await.until(PARTITIONED, () -> cluster.allSee(List.of("m1"), List.of("m1"))
          && cluster.allSee(List.of("m2", "m3"), List.of("m2", "m3"))
          && cluster.allSee(List.of("m4", "m5", "m6"), List.of("m4", "m5", "m6")), cluster::views);
      Map<String, Member> before = identities(cluster, all);

      cluster.network.restoreAll();
      Await.until(HEALED, () -> cluster.allSee(all, List.of("m4", "m5", "m6"), 6), cluster::views);
      for (String m : List.of("m4", "m5", "m6")) {
        assertEquals(before.get(m), cluster.node(m).member.self());
      }
      for (String m : List.of("m1", "m2", "m3")) {
        assertNotEquals(before.get(m), cluster.node(m).member.self());
        assertEquals(1, cluster.node(m).panics.size(), m + " panicked once");
        assertEquals(before.get("m4"), cluster.node(m).panics.getFirst().winner());
      }
    }
  }

  /**
   * While the winner's senior holds joins (the losers' acknowledgements are lost here, so it holds
   * for its whole hold_timeout of 1 s), a new member's join waits, and goes through after. The
   * loser m2, which m3 also discovers (A-B is restored), refuses m3's join while it stops: m3 ends
   * in the winner's cluster, never in the losing island.
   */
  @Test
  void aJoinWaitsWhileAPanicIsInProgress() throws Exception {
    try (TestCluster cluster = new TestCluster("joinwait", 3)) {
      cluster.startAll("A", "B");
      cluster.network.cut("A", "B");
      Await.until(PARTITIONED, () -> cluster.allSee(List.of("m1"), List.of("m1"))
          && cluster.allSee(List.of("m2"), List.of("m2")), cluster::views);
      cluster.network.dropPanicAcks(true);
      PANIC winner = cluster.node("m1").member.protocol(PANIC.class);
      PANIC loser = cluster.node("m2").member.protocol(PANIC.class); // kept: m2 closes its channel
      cluster.network.restore("A", "B");
      // The panic is in progress once both sides have the verdict: before m2 has it, nothing
      // tells m2 that its island is losing, and a join it accepts then is undone only afterwards
      // (PANIC tells the late joiner that it lost; PanicLoserTest).
      Await.until(HEALED, () -> winner.holdingJoins() && loser.lost(), cluster::views);
      long holdStart = System.nanoTime();

      TestCluster.Node newcomer = cluster.start(3, "A"); // returns once m3 is in a view
      long joined = System.nanoTime();
      assertTrue(!winner.holdingJoins(), "m3 got in only after the hold ended");
      assertTrue(Duration.ofNanos(joined - holdStart).toMillis() >= 900,
          "m3's join waited: " + Duration.ofNanos(joined - holdStart).toMillis() + " ms");
      assertEquals("m1", newcomer.member.senior().name());
      Await.until(HEALED, () -> cluster.allSee(List.of("m1", "m2", "m3"), List.of("m1"), 3), cluster::views);
    }
  }

  /**
   * A loser whose application is slow to act on the verdict keeps its channel open, and to a
   * newcomer's discovery it is a coordinator of a cluster with the right name. m3 hears only m2 at
   * first (m1's answers are cut), so its JOIN goes to m2: m2 refuses it. Then m2's application
   * closes the channel, m3 hears m1 again, and joins the winner; m2 never had m3 in a view.
   */
  @Test
  void aLoserThatIsSlowToStopTakesNoJoiner() throws Exception {
    try (TestCluster cluster = new TestCluster("slowloser", 3)) {
      cluster.start(1, "A");
      JChannel m2 = cluster.channel(2, "B");
      PANIC loser = m2.getProtocolStack().findProtocol(PANIC.class);
      List<Panic> verdicts = new CopyOnWriteArrayList<>();
      loser.onPanic(verdicts::add); // and nothing else: the channel stays open
      List<View> m2Views = new CopyOnWriteArrayList<>();
      m2.setReceiver(new Receiver() {
        @Override
        public void viewAccepted(View v) {
          m2Views.add(v);
        }
      });
      m2.connect(cluster.name);
      Await.until(Duration.ofSeconds(15), () -> cluster.allSee(List.of("m1"), List.of("m1", "m2"))
          && m2.getView().size() == 2, () -> cluster.views() + ", m2=" + m2.getView());

      cluster.network.cut("A", "B");
      Await.until(PARTITIONED, () -> cluster.allSee(List.of("m1"), List.of("m1")) && m2.getView().size() == 1,
          () -> cluster.views() + ", m2=" + m2.getView());
      cluster.network.restore("A", "B");
      Await.until(HEALED, loser::lost, cluster::views);

      cluster.network.cutDirected("m1", "m3");
      CompletableFuture<TestCluster.Node> joining = CompletableFuture.supplyAsync(() -> {
        try {
          return cluster.start(3, "A");
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      Await.until(Duration.ofSeconds(10), () -> loser.refusedJoins() > 0 || joining.isDone(),
          () -> "m3 sent no JOIN to m2; m2=" + m2.getView());
      // While m2 is open, m3's discovery may keep hearing m2 first (a discovery round ends at the
      // first coordinator's answer), so m3 keeps asking it: the application closes it now.
      cluster.network.restoreDirected("m1", "m3");
      m2.close();
      TestCluster.Node newcomer = joining.get(30, TimeUnit.SECONDS);
      assertEquals("m1", newcomer.member.senior().name(), "m3 joined the winner, not the loser");
      assertTrue(loser.refusedJoins() > 0, "m2 refused m3's join");
      Await.until(HEALED, () -> cluster.allSee(List.of("m1", "m3"), List.of("m1", "m3")), cluster::views);
      Address m3 = newcomer.member.self().address();
      assertTrue(m2Views.stream().noneMatch(v -> v.containsMember(m3)), "m2 took no joiner: " + m2Views);
      assertEquals(1, verdicts.size(), "m2's application was told once");
      assertEquals(cluster.node("m1").member.self(), verdicts.getFirst().winner());
    }
  }

  private static Map<String, Member> identities(TestCluster cluster, List<String> members) {
    Map<String, Member> ids = new HashMap<>();
    members.forEach(m -> ids.put(m, cluster.node(m).member.self()));
    return ids;
  }
}
