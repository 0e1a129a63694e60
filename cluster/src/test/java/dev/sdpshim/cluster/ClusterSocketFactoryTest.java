package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.shim.Protocol;
import dev.sdpshim.shim.SdpShim;
import dev.sdpshim.shim.ShimStatistics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.protocols.TP;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's sockets are the shim's: judged by the rules, converted (to MPTCP here) in place. */
@Timeout(60)
class ClusterSocketFactoryTest {

  @Test
  void everyTransportSocketIsJudgedByTheBindRuleAndConvertedToMptcp(@TempDir Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("sdp.conf"), "# the cluster's interface\nbind 127.0.0.1 *\n");
    List<Integer> ports = Ports.free(2);
    String cluster = "factory-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    List<String> received = new CopyOnWriteArrayList<>();
    try (SdpShim shim = SdpShim.builder().config(conf).protocol(Protocol.MPTCP).build();
        ClusterMember m1 = member(cluster, "m1", ports.get(0), ports, shim, received);
        ClusterMember m2 = member(cluster, "m2", ports.get(1), ports, shim, received)) {
      Await.until(Duration.ofSeconds(10), () -> m1.members().size() == 2 && m2.members().size() == 2,
          () -> m1.members() + " / " + m2.members());
      assertTrue(m1.protocol(TP.class).getSocketFactory() instanceof ClusterSocketFactory);
      m2.send(m1.self(), "over mptcp".getBytes(StandardCharsets.UTF_8));
      Await.until(Duration.ofSeconds(5), () -> received.contains("m2:over mptcp"), received::toString);

      ShimStatistics stats = shim.statistics();
      ShimStatistics.RuleCounts rule = stats.rule(2);
      // Two listeners and at least one connection, each bound to 127.0.0.1 before connecting.
      assertTrue(rule.converted() >= 3, rule.toString());
      assertEquals(rule.matched(), rule.converted(), rule.toString());
      assertEquals(0, rule.fellBack() + rule.failed(), rule.toString());
      assertEquals(0, stats.connectChecks(), "client sockets are bound first: no connect rule is consulted");
    }
  }

  @Test
  void theFailureDetectorsConnectionsAreJudgedToWithoutTheAgent(@TempDir Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("sdp.conf"), "bind 127.0.0.1 *\n");
    List<Integer> ports = Ports.free(2);
    String cluster = "ring-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (SdpShim shim = SdpShim.builder().config(conf).protocol(Protocol.MPTCP).build();
        ClusterMember m1 = member(cluster, "m1", ports.get(0), ports, shim, new CopyOnWriteArrayList<>());
        ClusterMember m2 = member(cluster, "m2", ports.get(1), ports, shim, new CopyOnWriteArrayList<>())) {
      Await.until(Duration.ofSeconds(10), () -> m1.members().size() == 2 && m2.members().size() == 2,
          () -> m1.members() + " / " + m2.members());
      assertFalse(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .anyMatch(a -> a.startsWith("-javaagent")), "no agent in this JVM");
      // Two members: one FD_RING connection, from one to the other's listener at port + 100 (both
      // use it). The kernel lists MPTCP sockets apart (ss -M); a plain TCP connection is not among them.
      List<Integer> listeners = ports.stream().map(p -> p + 100).toList();
      Await.until(Duration.ofSeconds(10), () -> listeners.stream().mapToLong(p -> mptcpSocketsTo(p)).sum() == 1,
          () -> "not one MPTCP connection to FD_RING's listeners 127.0.0.1:" + listeners + ":\n" + ss("-Htan"));
    }
  }

  /** MPTCP sockets whose peer is 127.0.0.1:{@code port} (the JDK's are IPv6: [::ffff:127.0.0.1]): client ends. */
  private static long mptcpSocketsTo(int port) {
    return ss("-HMn").lines().filter(l -> l.matches(".*\\s(\\[::ffff:)?127\\.0\\.0\\.1]?:" + port + "\\s*$")).count();
  }

  private static String ss(String options) {
    try {
      Process p = new ProcessBuilder("ss", options).redirectErrorStream(true).start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // EOF: ss has exited
    } catch (IOException e) {
      throw new UncheckedIOException("ss (iproute2) is needed to list MPTCP sockets", e);
    }
  }

  private static ClusterMember member(String cluster, String name, int port, List<Integer> ports,
      SdpShim shim, List<String> received) throws Exception {
    return ClusterMember.builder(cluster, TestCluster.SECRET).name(name)
        .bind(InetAddress.getLoopbackAddress(), port).peers(Ports.loopback(ports)).shim(shim)
        .onMessage((from, payload) -> received.add(from.name() + ":" + new String(payload, StandardCharsets.UTF_8)))
        .start();
  }
}
