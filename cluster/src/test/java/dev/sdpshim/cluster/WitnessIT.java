package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
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
}
