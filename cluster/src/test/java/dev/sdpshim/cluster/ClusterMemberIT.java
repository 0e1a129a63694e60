package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ClusterMemberIT {

  @Test
  void membersJoinInOrderKnowTheSeniorAndEachJoinTimeAndExchangeMessages() throws Exception {
    try (TestCluster cluster = new TestCluster("basics", 3)) {
      cluster.startAll("A", "A", "A");

      ClusterMember m3 = cluster.node("m3").member;
      List<Member> members = m3.members();
      assertEquals("m1", m3.senior().name());
      assertTrue(members.get(0).joined().isBefore(members.get(1).joined())
          || members.get(0).joined().equals(members.get(1).joined()), members::toString);
      assertTrue(!members.get(2).joined().isBefore(members.get(1).joined()), members::toString);
      assertEquals(members, cluster.node("m1").member.members(), "every member sees the same join times");

      cluster.node("m1").member.sendToAll("hello".getBytes(StandardCharsets.UTF_8));
      m3.send(members.get(1), "to-m2".getBytes(StandardCharsets.UTF_8));
      Await.until(Duration.ofSeconds(5), () -> cluster.node("m2").received.size() == 2
          && cluster.node("m3").received.size() == 1 && cluster.node("m1").received.size() == 1,
          () -> "m1=" + cluster.node("m1").received + " m2=" + cluster.node("m2").received
              + " m3=" + cluster.node("m3").received);
      assertTrue(cluster.node("m2").received.containsAll(List.of("m1:hello", "m3:to-m2")));
      assertEquals(List.of("m1:hello"), cluster.node("m3").received);
    }
  }

  @Test
  void aMemberThatLeavesAndJoinsAgainHasANewIdentity() throws Exception {
    try (TestCluster cluster = new TestCluster("rejoin", 2)) {
      cluster.start(1, "A");
      TestCluster.Node m2 = cluster.start(2, "A");
      cluster.awaitView(Duration.ofSeconds(10), List.of("m1", "m2"), List.of("m1", "m2"));
      Member first = m2.member.self();
      m2.member.close();
      cluster.awaitView(Duration.ofSeconds(5), List.of("m1"), List.of("m1"));
      TestCluster.Node again = cluster.start(2, "A");
      cluster.awaitView(Duration.ofSeconds(10), List.of("m1", "m2"), List.of("m1", "m2"));
      Member second = again.member.self();
      assertEquals(first.name(), second.name());
      assertNotEquals(first, second);
      assertNotEquals(first.id(), second.id());
      assertTrue(second.joined().isAfter(first.joined()));
    }
  }

  @Test
  void messagesLargerThanTheBoundAreRefused() throws Exception {
    try (TestCluster cluster = new TestCluster("bound", 1)) {
      ClusterMember m1 = cluster.start(1, "A").member;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m1.sendToAll(new byte[ClusterMember.DEFAULT_MAX_MESSAGE_SIZE + 1]));
      assertTrue(e.getMessage().contains("larger than the cluster's bound"), e.getMessage());
    }
  }
}
