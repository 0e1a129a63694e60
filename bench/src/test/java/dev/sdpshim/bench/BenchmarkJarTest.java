package dev.sdpshim.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JMH annotation processor ran: the benchmark list that the jar's launcher reads is there. */
class BenchmarkJarTest {

  @Test
  void benchmarkListNamesEveryBenchmark() throws IOException {
    String list;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
      assertNotNull(in, "META-INF/BenchmarkList missing: jmh-generator-annprocess did not run");
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String name : new String[] {"MatcherBenchmark.firstMatch", "ConfigLoadBenchmark.shimLoad",
        "ConfigLoadBenchmark.shimParse", "ConfigLoadBenchmark.shimCompile", "ConfigLoadBenchmark.jdkLoad",
        "SocketBenchmark.stream", "SocketBenchmark.pingPong", "SocketBenchmark.connectAccept",
        "AgentOnBenchmark.connectAccept", "AgentOnBenchmark.pingPong", "AgentOffBenchmark.connectAccept",
        "AgentOffBenchmark.pingPong", "MemoryCopyBenchmark.heapToDirect", "ClusterBenchmark.multicast",
        "ClusterBenchmark.roundTrip"}) {
      String type = "dev.sdpshim.bench." + name.substring(0, name.indexOf('.'));
      String method = name.substring(name.indexOf('.') + 1);
      // One line per benchmark: "JMH S <len> <class> S <len> <generated class> S <len> <method> ..."
      boolean listed = list.lines().anyMatch(line -> line.contains(" " + type + " ") && line.contains(" S " + method.length() + " " + method + " "));
      assertTrue(listed, name + " not in BenchmarkList:\n" + list);
    }
  }
}
