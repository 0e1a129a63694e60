package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rails file: what a good one means, and every way a bad one is refused (file, line, cause). */
class RailsConfigTest {
  private static final String GOOD = """
      # two IPoIB ports
      rail port1 192.168.10.1/24 dev ib0   # first port
      rail port2 192.168.20.1/24 dev ib1
      policy least-connections
      connect-timeout 250ms
      probe-interval 3s
      """;

  @Test
  void aGoodFileGivesItsRailsPolicyAndDurations() {
    RailsConfig c = RailsConfig.parse(GOOD, "rails.conf");
    assertEquals(List.of(), c.diagnostics());
    assertTrue(c.isValid());
    assertEquals(List.of("port1", "port2"), c.rails().stream().map(RailsConfig.Rail::name).toList());
    assertEquals("ib1", c.rails().get(1).device());
    assertEquals(ip("192.168.20.1"), c.rails().get(1).address());
    assertEquals(3, c.rails().get(1).position().line());
    assertEquals(RailPolicy.LEAST_CONNECTIONS, c.policy());
    assertEquals(Duration.ofMillis(250), c.connectTimeout());
    assertEquals(Duration.ofSeconds(3), c.probeInterval());
    assertEquals(Optional.of(Duration.ofMillis(125)), c.hedgeDelay(), "half the 250 ms connect timeout");
  }

  @Test
  void theHedgeDelayIsGivenTurnedOffOrTakenFromTheConnectTimeout() {
    assertEquals(Optional.of(Duration.ofMillis(250)), RailsConfig.parse("rail a 10.0.1.1/24\n", "r").hedgeDelay(),
        "default: 250 ms when the connect timeout is 500 ms or more");
    assertEquals(Optional.of(Duration.ofMillis(40)),
        RailsConfig.parse("rail a 10.0.1.1/24\nhedge-delay 40ms\nconnect-timeout 50ms\n", "r").hedgeDelay(),
        "given before the timeout it must be shorter than");
    assertEquals(Optional.empty(), RailsConfig.parse("rail a 10.0.1.1/24\nhedge-delay off\n", "r").hedgeDelay());
    List<RailsConfig.Rail> one = List.of(RailsConfig.Rail.of("a", "10.0.1.1/24", null));
    assertEquals(Optional.empty(), RailsConfig.of("b", one, null, null, null, Duration.ZERO).hedgeDelay());
    assertEquals(Optional.of(Duration.ofMillis(100)),
        RailsConfig.of("b", one, null, Duration.ofMillis(200), null, null).hedgeDelay());
    RailsConfig bad = RailsConfig.of("b", one, null, Duration.ofMillis(200), null, Duration.ofMillis(200));
    assertFalse(bad.isValid());
    assertTrue(bad.diagnostics().get(0).message().contains("hedge-delay 200 ms is not shorter than connect-timeout"),
        bad.diagnostics().toString());
  }

  @Test
  void theUserTimeoutIsOffUnlessGivenInTheFileOrInCode() {
    assertEquals(Optional.empty(), RailsConfig.parse("rail a 10.0.1.1/24\n", "r").userTimeout());
    assertEquals(Optional.of(Duration.ofSeconds(1)),
        RailsConfig.parse("rail a 10.0.1.1/24\nuser-timeout 1s\n", "r").userTimeout());
    assertEquals(Optional.empty(), RailsConfig.parse("rail a 10.0.1.1/24\nuser-timeout off\n", "r").userTimeout());
    RailsConfig bad = RailsConfig.parse("rail a 10.0.1.1/24\nuser-timeout soon\n", "r");
    assertFalse(bad.isValid());
    assertEquals(2, bad.diagnostics().get(0).position().line());
    assertTrue(bad.diagnostics().get(0).message().contains("'soon' is not a duration"), bad.diagnostics().toString());
    List<RailsConfig.Rail> one = List.of(RailsConfig.Rail.of("a", "10.0.1.1/24", null));
    RailsConfig built = RailsConfig.of("b", one, null, null, null).withUserTimeout(Duration.ofMillis(800));
    assertEquals(Optional.of(Duration.ofMillis(800)), built.userTimeout());
    assertEquals(Optional.of(Duration.ofMillis(250)), built.hedgeDelay(), "the rest is kept");
    RailsConfig tooLong = RailsConfig.of("b", one, null, null, null).withUserTimeout(Duration.ofHours(2));
    assertFalse(tooLong.isValid());
    assertTrue(tooLong.diagnostics().get(0).message().contains("user-timeout 7200000 ms is out of range"),
        tooLong.diagnostics().toString());
  }

  @Test
  void defaultsApplyWhenOnlyRailsAreGiven() {
    RailsConfig c = RailsConfig.parse("rail a 10.0.1.1/24\n", "r");
    assertTrue(c.isValid());
    assertNull(c.rails().get(0).device());
    assertEquals(RailPolicy.ROUND_ROBIN, c.policy());
    assertEquals(RailsConfig.DEFAULT_CONNECT_TIMEOUT, c.connectTimeout());
    assertEquals(RailsConfig.DEFAULT_PROBE_INTERVAL, c.probeInterval());
  }

  @Test
  void aPeerKeepsItsHostPartOnEveryRail() {
    RailsConfig c = RailsConfig.parse(GOOD, "rails.conf");
    assertEquals(1, c.railOf(ip("192.168.20.7")));
    assertEquals(-1, c.railOf(ip("192.168.30.7")));
    assertEquals(ip("192.168.20.7"), c.peerOn(1, ip("192.168.10.7")));
    assertEquals(ip("192.168.10.254"), c.peerOn(0, ip("192.168.20.254")));
    RailsConfig v6 = RailsConfig.parse("rail a fd00:1::1/64\nrail b fd00:2::1/64\n", "r");
    assertEquals(ip("fd00:2::abcd"), v6.peerOn(1, ip("fd00:1::abcd")));
    RailsConfig odd = RailsConfig.parse("rail a 10.0.0.1/20\nrail b 10.0.16.1/20\n", "r");
    assertEquals(ip("10.0.23.9"), odd.peerOn(1, ip("10.0.7.9")), "host bits below a non-octet prefix");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "rail a 10.0.1.1/24\\nroute x | 2 | 1 | SDP401 | unknown directive 'route'",
      "rail a 10.0.1.1/24\\npolicy fastest | 2 | 8 | SDP401 | unknown policy 'fastest'",
      "rail a 10.0.1.1/24\\npolicy sticky sticky | 2 | 1 | SDP401 | exactly one value",
      "rail a 10.0.1.1/24\\npolicy sticky\\npolicy sticky | 3 | 1 | SDP401 | already set on line 2",
      "rail a 10.0.1.1/24\\nconnect-timeout 500 | 2 | 17 | SDP401 | '500' is not a duration",
      "rail a 10.0.1.1/24\\nconnect-timeout 0ms | 2 | 17 | SDP401 | out of range",
      "rail a 10.0.1.1/24\\nprobe-interval 7200s | 2 | 16 | SDP401 | out of range",
      "rail a 10.0.1.1/24\\nhedge-delay 100 | 2 | 13 | SDP401 | '100' is not a duration",
      "rail a 10.0.1.1/24\\nhedge-delay 0ms | 2 | 13 | SDP401 | out of range",
      "rail a 10.0.1.1/24\\nhedge-delay never | 2 | 13 | SDP401 | 'never' is not a duration",
      "rail a 10.0.1.1/24\\nhedge-delay 1s | 2 | 13 | SDP401 | not shorter than connect-timeout 1000 ms",
      "rail a 10.0.1.1/24\\nhedge-delay 500ms\\nconnect-timeout 400ms | 2 | 13 | SDP401 | not shorter than connect-timeout 400 ms",
      "rail a 10.0.1.1 | 1 | 8 | SDP401 | has no prefix length",
      "rail a ib0.example/24 | 1 | 8 | SDP401 | not a local unicast IP address literal",
      "rail a 0.0.0.0/24 | 1 | 8 | SDP401 | not a local unicast IP address literal",
      "rail a 10.0.1.1/33 | 1 | 8 | SDP401 | from 1 to 32",
      "rail a 10.0.1.1/0 | 1 | 8 | SDP401 | from 1 to 32",
      "rail a 10.0.1.1/24 ib0 | 1 | 1 | SDP401 | 'rail NAME ADDRESS/PREFIX dev INTERFACE'",
      "rail a/b 10.0.1.1/24 | 1 | 6 | SDP401 | may only have letters",
      "rail a 10.0.1.1/24 dev averyveryverylongname | 1 | 24 | SDP401 | cannot be an interface name",
      "rail a 10.0.1.1/24\\nrail a 10.0.2.1/24 | 2 | 1 | SDP401 | already used (line 1)",
      "rail a 10.0.1.1/24\\nrail b 10.0.1.2/16 | 2 | 1 | SDP402 | overlaps rail a",
      "rail a 10.0.1.1/24\\nrail b 10.0.1.9/24 | 2 | 1 | SDP402 | overlaps rail a",
      "rail a 10.0.1.1/24\\nrail b 10.0.2.1/25 | 2 | 1 | SDP403 | same prefix length",
      "rail a 10.0.1.1/24\\nrail b fd00::1/24 | 2 | 1 | SDP403 | same family",
      "# nothing | 0 | 0 | SDP401 | no usable rail",
  })
  void aBadFileIsRefusedWithLineColumnAndCause(String escaped, int line, int column, Code code, String cause) {
    RailsConfig c = RailsConfig.parse(escaped.replace("\\n", "\n") + "\n", "rails.conf");
    assertFalse(c.isValid(), escaped);
    Diagnostic d = c.diagnostics().stream().filter(x -> x.line() == line).findFirst()
        .orElseThrow(() -> new AssertionError("nothing on line " + line + ": " + c.diagnostics()));
    assertEquals(code, d.code(), d.toString());
    assertEquals(line, d.line(), d.toString());
    assertEquals(column, d.column(), d.toString());
    assertTrue(d.message().contains(cause), d.message());
    String headline = DiagnosticText.headline(c.source(), d);
    assertTrue(headline.startsWith(line > 0 ? "rails.conf:" + line + ":" + column + ": error: " : "rails.conf: error: "),
        headline);
  }

  @Test
  void everyProblemOfAFileIsReportedInOneRun() {
    RailsConfig c = RailsConfig.parse("policy x\nrail a 10.0.1.1/24\nconnect-timeout 5\nrail b 10.0.1.2/24\n", "r");
    assertEquals(List.of(1, 3, 4), c.diagnostics().stream().map(Diagnostic::line).toList());
    assertEquals(1, c.rails().size(), "the overlapping rail is left out");
  }

  @Test
  void invalidUtf8IsReportedNotThrown() {
    RailsConfig c = RailsConfig.parse(new byte[] {'r', 'a', 'i', 'l', ' ', (byte) 0xc3, (byte) 0x28, '\n'}, "r");
    assertFalse(c.isValid());
    assertTrue(c.diagnostics().stream().anyMatch(d -> d.line() == 1 && d.message().contains("invalid UTF-8")),
        c.diagnostics().toString());
  }

  @Test
  void parsingNeverThrowsWhateverTheBytes() {
    Random random = new Random(42);
    String alphabet = "rail policy dev 10.0.1.1/24 fd00::/64 ms s # \n\t/:.-x0123456789\u00e9\r";
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(80)];
      if (i % 2 == 0) {
        random.nextBytes(bytes);
      } else {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < bytes.length) {
          sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        bytes = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
      RailsConfig c = RailsConfig.parse(bytes, "fuzz");
      assertEquals(c.isValid(), c.diagnostics().stream().noneMatch(d -> d.severity() == Severity.ERROR));
    }
  }

  @Test
  void railsBuiltInCodeAreCheckedLikeAFile() {
    RailsConfig ok = RailsConfig.of("builder", List.of(
        RailsConfig.Rail.of("a", "10.0.1.1/24", null), RailsConfig.Rail.of("b", "10.0.2.1/24", "eth1")),
        RailPolicy.STICKY, Duration.ofMillis(100), null);
    assertTrue(ok.isValid(), ok.diagnostics().toString());
    assertEquals(RailsConfig.DEFAULT_PROBE_INTERVAL, ok.probeInterval());
    RailsConfig bad = RailsConfig.of("builder", List.of(
        RailsConfig.Rail.of("a", "10.0.1.1/24", null), RailsConfig.Rail.of("b", "10.0.1.7/24", null)),
        null, Duration.ZERO, null);
    assertEquals(List.of(Code.SDP401, Code.SDP402), bad.diagnostics().stream().map(Diagnostic::code).toList());
    assertEquals(0, bad.diagnostics().get(0).line());
  }

  @Test
  void aRailBuiltInCodeIsCheckedLikeALine() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RailsConfig.Rail.of("a", "ib0.example/24", null));
    assertEquals("rail a: 'ib0.example' is not a local unicast IP address literal (host names are not resolved in a"
        + " rails file)", e.getMessage());
    assertEquals(ip("fd00::1"), RailsConfig.Rail.of("v6", "fd00::1/64", null).address());
  }

  @Test
  void railsWithoutABindRuleAtPortZeroAreNamed() {
    RailsConfig c = RailsConfig.parse(GOOD, "rails.conf");
    SdpConfig rules = SdpConfig.parse("bind 192.168.10.0/24 *\nbind 192.168.20.1 5000\nconnect 192.168.20.0/24 *\n", "sdp.conf");
    List<Diagnostic> found = c.uncoveredBy(rules);
    assertEquals(1, found.size());
    assertEquals(Code.SDP404, found.get(0).code());
    assertEquals(3, found.get(0).line());
    assertTrue(found.get(0).message().contains("port2") && found.get(0).message().contains("sdp.conf"));
  }

  private static InetAddress ip(String literal) {
    return Verdicts.ip(literal);
  }
}
