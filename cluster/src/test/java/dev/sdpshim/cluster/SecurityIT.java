package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SecurityIT {

  @Test
  void aMemberWithTheWrongSecretCannotJoin() throws Exception {
    try (TestCluster cluster = new TestCluster("secret", 2)) {
      cluster.start(1, "A");
      byte[] wrong = "not-the-secret".getBytes(StandardCharsets.UTF_8);
      SecurityException refused = assertThrows(SecurityException.class, () -> cluster.start(2, "A", wrong));
      assertTrue(refused.getMessage().contains("authentication failed"), refused.getMessage());
      assertEquals(List.of("m1"), cluster.view("m1"));

      cluster.start(2, "A"); // the right secret gets in
      cluster.awaitView(Duration.ofSeconds(10), List.of("m1", "m2"), List.of("m1", "m2"));
    }
  }

  /** m3 is cut off and evicted; what its old incarnation sends afterwards is not delivered. */
  @Test
  void messagesFromAnEvictedMemberAreIgnored() throws Exception {
    try (TestCluster cluster = new TestCluster("evicted", 3)) {
      cluster.startAll("A", "A", "B");
      TestCluster.Node m3 = cluster.node("m3");
      Member m1 = cluster.node("m1").member.self();

      cluster.network.cut("A", "B");
      Await.until(Duration.ofSeconds(10), () -> cluster.allSee(List.of("m1", "m2"), List.of("m1", "m2")),
          cluster::views);
      long droppedBefore = cluster.node("m1").member.droppedFromNonMembers();
      ClusterMember evicted = m3.member;
      cluster.network.restore("A", "B");
      evicted.send(m1, "stale".getBytes(StandardCharsets.UTF_8)); // before PANIC makes m3 rejoin
      cluster.node("m2").member.send(m1, "fresh".getBytes(StandardCharsets.UTF_8));

      Await.until(Duration.ofSeconds(5), () -> cluster.node("m1").member.droppedFromNonMembers() > droppedBefore
          && cluster.node("m1").received.contains("m2:fresh"), () -> "m1 received " + cluster.node("m1").received);
      assertTrue(cluster.node("m1").received.stream().noneMatch(s -> s.endsWith(":stale")),
          cluster.node("m1").received::toString);
    }
  }
}
