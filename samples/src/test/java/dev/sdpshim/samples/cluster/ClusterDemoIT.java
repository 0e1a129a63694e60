package dev.sdpshim.samples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link ClusterDemo} in a child JVM the way {@code samples/run-cluster} does (MPTCP, the
 * committed {@code samples/cluster/sdp.conf}), on three free loopback ports.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ClusterDemoIT {

  @TempDir
  Path dir;

  @Test
  void threeMembersJoinTalkAndRejoinWithTheirSocketsConvertedToMptcp() throws Exception {
    int base = threeFreePorts();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(Arrays.asList(System.getProperty("shim.jvm.flags").trim().split("\\s+")));
    command.addAll(List.of(
        "-Dsdpshim.conf=" + Path.of(System.getProperty("samples.dir"), "cluster", "sdp.conf"),
        "-Dsdpshim.protocol=mptcp", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.slf4j.simpleLogger.log.org.jgroups=error",
        "-cp", System.getProperty("surefire.test.class.path"), ClusterDemo.class.getName(),
        Integer.toString(base)));
    Path out = dir.resolve("demo.out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the demo did not end");
    String output = Files.readString(out);
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("m3 joined; members [m1, m2, m3], senior m1\n"), output);
    assertTrue(output.contains("m2 got \"hello from m1\" from m1"), output);
    assertTrue(output.contains("m1 got \"hello m1, from m3\" from m3"), output);
    assertTrue(output.contains("m3 is back with a new identity"), output);
    assertTrue(output.lines().anyMatch(l -> l.matches(
        "cluster sockets judged by the rules: \\d+ binds; [1-9]\\d* converted to MPTCP, 0 fell back to TCP")), output);
    assertTrue(output.endsWith("cluster demo: ok\n"), output);
  }

  /** A base port whose next two are free too (the members listen on base, base+1, base+2). */
  private static int threeFreePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        base = s.getLocalPort();
      }
      if (base + 102 < 65536 && free(base + 1) && free(base + 2)) {
        return base;
      }
    }
    throw new IOException("no three consecutive free ports on loopback");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
