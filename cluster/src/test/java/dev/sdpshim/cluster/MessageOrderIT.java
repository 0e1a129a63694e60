package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 100 000 messages while the network misbehaves: m1-m3 (switch A) stay in the cluster
 * throughout; m4 (switch B) is partitioned away twice (removed, then made to rejoin by PANIC),
 * and links flap for less than the failure detectors' timeouts. Every survivor must receive
 * every message of every survivor exactly once, in order.
 */
@Timeout(180)
class MessageOrderIT {
  private static final List<String> SURVIVORS = List.of("m1", "m2", "m3");
  private static final int TOTAL = 100_000;
  private static final int BATCH = 200;
  private static final long PAUSE_MS = 100;

  @Test
  void everySurvivorReceivesEveryMessageOfEverySurvivorExactlyOnceInOrder() throws Exception {
    try (TestCluster cluster = new TestCluster("order", 4)) {
      // receiver -> sender -> next expected sequence number
      Map<String, Map<String, AtomicInteger>> next = new ConcurrentHashMap<>();
      List<String> violations = new CopyOnWriteArrayList<>();
      for (int i = 1; i <= 4; i++) {
        TestCluster.Node node = cluster.start(i, i <= 3 ? "A" : "B");
        Map<String, AtomicInteger> perSender = new ConcurrentHashMap<>();
        next.put(node.name, perSender);
        node.messages = (from, payload) -> {
          int seq = ByteBuffer.wrap(payload).getInt();
          int expected = perSender.computeIfAbsent(from.name(), k -> new AtomicInteger()).getAndIncrement();
          if (seq != expected && SURVIVORS.contains(from.name()) && SURVIVORS.contains(node.name)
              && violations.size() < 20) {
            violations.add(node.name + " got " + seq + " from " + from.name() + ", expected " + expected);
          }
        };
      }
      List<String> all = List.of("m1", "m2", "m3", "m4");
      cluster.awaitView(Duration.ofSeconds(15), all, all);
      List<Member> survivors = SURVIVORS.stream().map(m -> cluster.node(m).member.self()).toList();

      int[] quota = {TOTAL - 2 * (TOTAL / 3), TOTAL / 3, TOTAL / 3};
      AtomicBoolean failed = new AtomicBoolean();
      List<Thread> senders = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        ClusterMember sender = cluster.node(SURVIVORS.get(s)).member;
        int count = quota[s];
        senders.add(Thread.ofPlatform().name("sender-" + s).start(() -> {
          try {
            for (int seq = 0; seq < count; seq++) {
              sender.sendToAll(ByteBuffer.allocate(Integer.BYTES).putInt(seq).array());
              if (seq % BATCH == BATCH - 1) {
                Thread.sleep(PAUSE_MS);
              }
            }
          } catch (Exception e) {
            failed.set(true);
            violations.add("sending failed: " + e);
          }
        }));
      }

      for (int round = 0; round < 2; round++) {
        flap(cluster, "m1", "m2");
        flap(cluster, "m3", "m1");
        cluster.network.cut("A", "B");
        Await.until(Duration.ofSeconds(10), () -> cluster.allSee(SURVIVORS, SURVIVORS), cluster::views);
        cluster.network.restore("A", "B");
        Await.until(Duration.ofSeconds(10), () -> cluster.allSee(all, SURVIVORS, 4), cluster::views);
        flap(cluster, "m2", "m3");
      }
      for (Thread t : senders) {
        t.join();
      }
      Await.until(Duration.ofSeconds(60), () -> SURVIVORS.stream().allMatch(r -> received(next, r) == TOTAL),
          () -> "received " + next + "; " + violations);
      assertEquals(List.of(), violations);
      for (String receiver : SURVIVORS) {
        for (int s = 0; s < 3; s++) {
          assertEquals(quota[s], next.get(receiver).get(SURVIVORS.get(s)).get(),
              receiver + " from " + SURVIVORS.get(s));
        }
      }
      assertEquals(survivors, SURVIVORS.stream().map(m -> cluster.node(m).member.self()).toList(),
          "m1-m3 stayed the same incarnations throughout");
      assertEquals(2, cluster.node("m4").panics.size(), "m4 was partitioned away and made to rejoin twice");
    }
  }

  /** A link that goes down for 300 ms: far below the failure detectors' timeouts. */
  private static void flap(TestCluster cluster, String from, String to) throws InterruptedException {
    cluster.network.cutDirected(from, to);
    Thread.sleep(300);
    cluster.network.restoreDirected(from, to);
    Thread.sleep(500);
  }

  private static int received(Map<String, Map<String, AtomicInteger>> next, String receiver) {
    return SURVIVORS.stream().mapToInt(s -> {
      AtomicInteger n = next.get(receiver).get(s);
      return n == null ? 0 : n.get();
    }).sum();
  }
}
