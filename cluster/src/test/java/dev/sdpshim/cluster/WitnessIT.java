package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class WitnessIT {

  /**
   * m4 stops hearing m2 (its own inbound link from m2 is broken; everyone else hears m2). m4
   * suspects m2, its witnesses m1 and m3 still reach m2: m4 is the one cut off, leaves and
   * rejoins; m2 stays with its identity.
   */
  @Test
  void anAccuserWhoseOwnLinkIsBrokenIsTheOneRemoved() throws Exception {
    try (TestCluster cluster = new TestCluster("witness", 4)) {
      List<String> all = cluster.startAll("A", "A", "A", "A");
      Member m2 = cluster.node("m2").member.self();
      Member m4 = cluster.node("m4").member.self();

      cluster.network.cutDirected("m2", "m4");
      TestCluster.Node accuser = cluster.node("m4");
      Await.until(Duration.ofSeconds(10), () -> !accuser.cutOffs.isEmpty(), cluster::views);
      assertEquals(m2, accuser.cutOffs.getFirst(), "m4 accused m2 and was told it is the one cut off");
      Await.until(Duration.ofSeconds(3), () -> !cluster.node("m1").member.members().contains(m4),
          cluster::views);
      assertTrue(cluster.node("m1").member.members().contains(m2), "the suspect stays");

      cluster.network.restoreDirected("m2", "m4");
      Await.until(Duration.ofSeconds(10), () -> cluster.allSee(all, List.of("m1", "m2", "m3"), 4), cluster::views);
      assertEquals(m2, cluster.node("m2").member.self(), "m2 kept its identity");
      assertNotEquals(m4, accuser.member.self(), "m4 rejoined with a new identity");
      Await.until(Duration.ofSeconds(2), () -> accuser.incarnations.size() == 1, accuser.incarnations::toString);
      assertEquals(accuser.member.self(), accuser.incarnations.getFirst());
      for (String m : List.of("m1", "m2", "m3")) {
        assertTrue(cluster.node(m).cutOffs.isEmpty(), m + " was not cut off");
      }
    }
  }

  /**
   * m1-m3 on one machine (127.0.0.1), m4 and m5 on another (127.0.0.2). m1 and m3 stop hearing
   * m2. m1's witnesses are m4 and m5 (other machine first), who still reach m2: m1 is cut off and
   * m2 stays. Had m1 asked its neighbours in view order, m3 would have confirmed and m2 would
   * have been removed.
   */
  @Test
  void witnessesOnOtherMachinesAreAskedFirst() throws Exception {
    try (TestCluster cluster = new TestCluster("machines", 5)) {
      InetAddress otherMachine = InetAddress.getByName("127.0.0.2");
      cluster.host(4, otherMachine).host(5, otherMachine);
      cluster.startAll("A", "A", "A", "A", "A");
      Member m2 = cluster.node("m2").member.self();

      cluster.network.cutDirected("m2", "m1");
      cluster.network.cutDirected("m2", "m3");
      Await.until(Duration.ofSeconds(10), () -> !cluster.node("m1").cutOffs.isEmpty(), cluster::views);
      assertEquals(m2, cluster.node("m1").cutOffs.getFirst());
      assertTrue(cluster.node("m4").member.members().contains(m2), "m2 stays");
      assertEquals(m2, cluster.node("m2").member.self());
    }
  }

  /**
   * m3 and m4 stop hearing m2 (m2's links towards them are broken; m2 hears everyone, and the
   * senior m1 still hears m2, so m1's own detector never suspects it). m3 suspects m2, its witness
   * m4 confirms; as participants, neither can remove m2 itself: the confirmation goes to m1, which
   * removes m2. Without that, m2 would stay in the view for as long as the partial partition lasts.
   */
  @Test
  void aDepartureConfirmedByParticipantsIsCarriedOutByTheSenior() throws Exception {
    removedWhenM3AndM4CannotHear("m2", List.of("m1", "m3", "m4"));
  }

  /**
   * m3 and m4 stop hearing the senior m1; m2 still hears it. A participant's confirmation about
   * the senior goes to the next in line, m2, which takes over as coordinator (as JGroups' GMS does
   * when it suspects the coordinator itself) and removes m1.
   */
  @Test
  void aSeniorThatOthersCannotReachIsRemovedByTheNextInLine() throws Exception {
    removedWhenM3AndM4CannotHear("m1", List.of("m2", "m3", "m4"));
  }

  /**
   * Four members; m3 and m4 stop hearing {@code suspect}, the other one still hears it. The
   * suspect is removed by the first of {@code healthy} (the senior, or the next in line), no
   * healthy member ever leaves a view, and once the links are back the suspect rejoins with a new
   * identity.
   */
  private static void removedWhenM3AndM4CannotHear(String suspect, List<String> healthy) throws Exception {
    try (TestCluster cluster = new TestCluster("forward-" + suspect, 4)) {
      List<String> all = cluster.startAll("A", "A", "A", "A");
      Map<String, Member> identities = identities(cluster, healthy);
      Member removed = cluster.node(suspect).member.self();

      cluster.network.cutDirected(suspect, "m3");
      cluster.network.cutDirected(suspect, "m4");
      Duration took = Await.until(Duration.ofSeconds(15), () -> cluster.allSee(healthy, healthy), cluster::views);
      System.out.println("WitnessIT: " + suspect + ", unreachable from m3 and m4 but not from the other member,"
          + " removed by " + healthy.getFirst() + " " + took.toMillis() + " ms after the cut");
      assertEquals(List.copyOf(identities.values()), cluster.node(healthy.getFirst()).member.members(),
          "the deciding member's view: the suspect removed, everyone else kept");

      cluster.network.restoreAll();
      Await.until(Duration.ofSeconds(20), () -> cluster.allSee(all, healthy, 4), cluster::views);
      assertNotEquals(removed, cluster.node(suspect).member.self(), suspect + " came back with a new identity");
      assertNeverRemoved(cluster, identities);
    }
  }

  /** The named members' current identities, in the given order; forgets the views seen so far. */
  private static Map<String, Member> identities(TestCluster cluster, List<String> names) {
    Map<String, Member> identities = new java.util.LinkedHashMap<>();
    for (String name : names) {
      identities.put(name, cluster.node(name).member.self());
      cluster.node(name).views.clear();
    }
    return identities;
  }

  /** Every view each healthy member saw held every healthy member, with its identity unchanged. */
  private static void assertNeverRemoved(TestCluster cluster, Map<String, Member> healthy) {
    for (Map.Entry<String, Member> e : healthy.entrySet()) {
      TestCluster.Node node = cluster.node(e.getKey());
      assertEquals(e.getValue(), node.member.self(), e.getKey() + " kept its identity");
      assertTrue(node.cutOffs.isEmpty() && node.panics.isEmpty(), e.getKey() + " never left");
      for (List<Member> view : node.views) {
        assertTrue(view.containsAll(healthy.values()), e.getKey() + " saw a healthy member removed: " + view);
      }
    }
  }
}
