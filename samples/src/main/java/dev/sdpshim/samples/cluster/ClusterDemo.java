package dev.sdpshim.samples.cluster;

import dev.sdpshim.cluster.ClusterMember;
import dev.sdpshim.cluster.Member;
import dev.sdpshim.shim.SdpShim;
import dev.sdpshim.shim.ShimStatistics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Three cluster members in one JVM on 127.0.0.1, ports BASE, BASE+1 and BASE+2 (7800 by
 * default): they join in order, agree on the senior, exchange messages; the third leaves and
 * comes back with a new identity. The cluster's sockets come from the JVM's shim (configured by
 * {@code -Dsdpshim.conf} and {@code -Dsdpshim.protocol}), whose statistics are printed at the end.
 * Exit status 0 when everything happened as described. See samples/README.md and run-cluster.
 */
public final class ClusterDemo {
  static final int DEFAULT_PORT = 7800;
  private static final byte[] SECRET = "cluster-demo-secret".getBytes(StandardCharsets.UTF_8);
  private static final long WAIT_MS = 15_000;

  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final List<InetSocketAddress> peers = new ArrayList<>();
  private final String cluster = "cluster-demo-" + ProcessHandle.current().pid();
  private final int base;
  private boolean ok = true;

  private ClusterDemo(int base) {
    this.base = base;
    for (int i = 0; i < 3; i++) {
      peers.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + i));
    }
  }

  public static void main(String[] args) throws Exception {
    int base = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
    System.exit(new ClusterDemo(base).run() ? 0 : 1);
  }

  private boolean run() throws Exception {
    List<ClusterMember> members = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        members.add(start(i));
        int expected = i;
        ClusterMember latest = members.getLast();
        check("m" + i + " joined; members " + names(latest) + ", senior " + latest.senior().name(),
            () -> latest.members().size() == expected);
      }
      ClusterMember m1 = members.get(0);
      ClusterMember m3 = members.get(2);
      for (Member m : m3.members()) {
        System.out.printf("  %s joined at %s (id %s)%n", m.name(), m.joined(), m.id());
      }
      m1.sendToAll("hello from m1".getBytes(StandardCharsets.UTF_8));
      m3.send(m1.self(), "hello m1, from m3".getBytes(StandardCharsets.UTF_8));
      check("m1's message reached all three, m3's reached m1", () -> delivered.size() == 4);
      delivered.forEach(d -> System.out.println("  " + d));

      Member before = m3.self();
      m3.close();
      check("m3 left; m1 sees " + names(m1), () -> m1.members().size() == 2);
      ClusterMember again = start(3);
      members.set(2, again);
      check("m3 is back with a new identity: " + again.self().id() + " (was " + before.id() + ")",
          () -> m1.members().size() == 3 && !again.self().equals(before));

      ShimStatistics stats = SdpShim.fromSystemProperties().statistics();
      long converted = stats.rules().stream().mapToLong(ShimStatistics.RuleCounts::converted).sum();
      long fellBack = stats.rules().stream().mapToLong(ShimStatistics.RuleCounts::fellBack).sum();
      System.out.printf("cluster sockets judged by the rules: %d binds; %d converted to %s, %d fell back to TCP%n",
          stats.bindChecks(), converted, stats.protocol(), fellBack);
    } finally {
      for (int i = members.size() - 1; i >= 0; i--) {
        members.get(i).close();
      }
    }
    System.out.println(ok ? "cluster demo: ok" : "cluster demo: FAILED");
    return ok;
  }

  private ClusterMember start(int index) throws Exception {
    String name = "m" + index;
    return ClusterMember.builder(cluster, SECRET).name(name)
        .bind(InetAddress.getLoopbackAddress(), base + index - 1).peers(peers)
        .onMessage((from, payload) -> delivered.add(name + " got \""
            + new String(payload, StandardCharsets.UTF_8) + "\" from " + from.name()))
        .start();
  }

  private static String names(ClusterMember member) {
    return member.members().stream().map(Member::name).toList().toString();
  }

  /** Waits up to 15 s for {@code condition}, then prints what happened. */
  private void check(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    boolean held = condition.getAsBoolean();
    ok &= held;
    System.out.println((held ? "" : "NOT within 15 s: ") + what);
  }
}
