package dev.sdpshim.conf;

import static dev.sdpshim.conf.Verdicts.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample file of the JDK's SDP tutorial, probed on both sides of every boundary. The cluster
 * host name resolves (through a fake resolver) to two addresses, as a real cluster name would.
 */
class JdkTutorialExampleTest {
  static final String TUTORIAL = """
      # Use SDP when binding to 192.168.0.1
      bind 192.168.0.1 *

      # Use SDP when connecting to all application services on 192.168.0.*
      connect 192.168.0.0/24     1024-*

      # Use SDP when connecting to the http server or MySQL database on examplecluster
      connect examplecluster.example.com   80
      connect examplecluster.example.com   3306
      """;

  static SdpConfig config;
  static RuleMatcher matcher;

  @BeforeAll
  static void parse(@TempDir Path dir) throws IOException {
    HostResolver resolver = new JdkQuirksTest.FakeResolver(
        Map.of("examplecluster.example.com", List.of(ip("192.0.2.10"), ip("192.0.2.11"))));
    config = SdpConfigParser.defaults().withResolver(resolver).parse(Verdicts.write(dir, TUTORIAL));
    matcher = config.compile();
  }

  @ParameterizedTest(name = "{0} {1}:{2} -> line {3}")
  @CsvSource({
      // bind 192.168.0.1 *: every port of that one address, no neighbour
      "BIND, 192.168.0.1, 0, 2",
      "BIND, 192.168.0.1, 65535, 2",
      "BIND, 192.168.0.0, 5000, 0",
      "BIND, 192.168.0.2, 5000, 0",
      "CONNECT, 192.168.0.1, 1023, 0",
      // connect 192.168.0.0/24 1024-*: the /24 edges and the 1023/1024 edge
      "CONNECT, 192.168.0.0, 1024, 5",
      "CONNECT, 192.168.0.255, 65535, 5",
      "CONNECT, 192.168.0.77, 1023, 0",
      "CONNECT, 192.168.1.0, 1024, 0",
      "CONNECT, 192.167.255.255, 1024, 0",
      "BIND, 192.168.0.77, 1024, 0",
      // the cluster on 80 and 3306, every address it resolved to
      "CONNECT, 192.0.2.10, 80, 8",
      "CONNECT, 192.0.2.11, 80, 8",
      "CONNECT, 192.0.2.10, 79, 0",
      "CONNECT, 192.0.2.10, 81, 0",
      "CONNECT, 192.0.2.11, 3306, 9",
      "CONNECT, 192.0.2.11, 3305, 0",
      "CONNECT, 192.0.2.11, 3307, 0",
      "CONNECT, 192.0.2.12, 80, 0",
      "BIND, 192.0.2.10, 80, 0",
  })
  void probesOnBothSidesOfEveryBoundary(Action action, String address, int port, int expectedLine) {
    InetAddress a = ip(address);
    Rule rule = matcher.firstMatch(action, a, port);
    if (expectedLine == 0) {
      assertNull(rule, () -> "expected no match, got " + rule);
    } else {
      assertEquals(expectedLine, rule.position().line());
    }
    assertEquals(rule, RuleMatcher.linearScan(config.rules()).firstMatch(action, a, port));
  }

  @org.junit.jupiter.api.Test
  void tutorialFileIsAcceptedWithFourRules() {
    assertTrue(config.jdkAccepts());
    assertEquals(4, config.rules().size());
  }
}
