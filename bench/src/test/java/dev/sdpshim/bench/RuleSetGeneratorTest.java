package dev.sdpshim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sdpshim.conf.Action;
import dev.sdpshim.conf.AddressSpec;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.RuleMatcher;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated files and probes are what the benchmarks claim to measure. */
class RuleSetGeneratorTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 1000, 20_000})
  void generatesExactlyTheRequestedValidRules(int count) {
    RuleSetGenerator.RuleSet set = RuleSetGenerator.generate(count);
    SdpConfig config = RuleSetGenerator.offlineParser().parse(set.text(), "generated");
    assertEquals(count, config.rules().size());
    assertTrue(config.jdkAccepts(), () -> config.jdkRefusal().orElse(""));
    assertEquals(0, config.count(Severity.ERROR), () -> config.diagnostics().toString());
    assertEquals(count, set.hosts() + set.subnets24() + set.subnets16() + set.binds() + set.ipv6() + set.anyAddress());
    for (Rule r : config.rules()) {
      assertTrue(r.address().matchesAnyAddress() || r.address().kind() == AddressSpec.Kind.LITERAL, r::toString);
      assertTrue(r.address().isResolved(), r::toString);
    }
  }

  @Test
  void theMixIsASites() {
    RuleSetGenerator.RuleSet set = RuleSetGenerator.generate(20_000);
    SdpConfig config = RuleSetGenerator.offlineParser().parse(set.text(), "generated");
    long binds = config.rules().stream().filter(r -> r.action() == Action.BIND).count();
    long v6 = config.rules().stream().filter(r -> r.address().hasIpv6()).count();
    long any = config.rules().stream().filter(r -> r.address().matchesAnyAddress()).count();
    long hosts = config.rules().stream()
        .filter(r -> r.action() == Action.CONNECT && !r.address().matchesAnyAddress() && !r.address().hasIpv6()
            && r.address().blocks().get(0).prefixLength() == 32)
        .count();
    assertTrue(hosts > 17_000, "hosts " + hosts);
    assertTrue(binds > 400 && binds < 800, "binds " + binds);
    assertTrue(v6 > 300 && v6 < 500, "ipv6 " + v6);
    assertEquals(2, any);
    assertTrue(config.rules().stream().anyMatch(r -> r.address().text().endsWith("/24")));
    assertTrue(config.rules().stream().anyMatch(r -> r.address().text().endsWith("/16")));
    assertTrue(config.rules().stream().anyMatch(r -> r.ports().toString().equals("1024-65535")));
  }

  @Test
  void isDeterministic() {
    assertEquals(RuleSetGenerator.generate(1000).text(), RuleSetGenerator.generate(1000).text());
    assertNotEquals(RuleSetGenerator.generate(1000).text(), new RuleSetGenerator(1).rules(1000).text());
  }

  /** The core check: compiled matcher and linear scan agree on every probe; half hit. */
  @ParameterizedTest
  @ValueSource(ints = {10, 1000, 20_000})
  void indexedAndLinearAgreeOnTheProbesAndHalfHit(int count) {
    SdpConfig config = RuleSetGenerator.offlineParser().parse(RuleSetGenerator.generate(count).text(), "generated");
    RuleMatcher indexed = RuleMatcher.compile(config.rules());
    RuleMatcher linear = RuleMatcher.linearScan(config.rules());
    Probes probes = RuleSetGenerator.probes(config.rules(), indexed, 4096, RuleSetGenerator.SEED + count);
    int hits = 0;
    int v6 = 0;
    int binds = 0;
    for (int i = 0; i < probes.size(); i++) {
      Rule expected = linear.firstMatch(probes.action(i), probes.address(i), probes.port(i));
      Rule actual = indexed.firstMatch(probes.action(i), probes.address(i), probes.port(i));
      int n = i;
      assertEquals(expected, actual, () -> "probe " + probes.action(n) + " " + probes.address(n) + " " + probes.port(n));
      if (probes.hit(i)) {
        assertTrue(expected != null, "probe " + i + " was built to hit");
      } else {
        assertNull(expected, "probe " + i + " was built to miss");
      }
      hits += expected != null ? 1 : 0;
      v6 += probes.address(i).getAddress().length == 16 ? 1 : 0;
      binds += probes.action(i) == Action.BIND ? 1 : 0;
    }
    double share = hits / (double) probes.size();
    assertTrue(share > 0.45 && share < 0.55, "hit share " + share);
    assertTrue(v6 > 0 && binds > 0, "probes need IPv6 and bind lookups too: " + v6 + ", " + binds);
  }

  @Test
  void hitsAreSpreadOverTheWholeFile() {
    int count = 20_000;
    SdpConfig config = RuleSetGenerator.offlineParser().parse(RuleSetGenerator.generate(count).text(), "generated");
    RuleMatcher indexed = RuleMatcher.compile(config.rules());
    Probes probes = RuleSetGenerator.probes(config.rules(), indexed, 4096, 7);
    long sum = 0;
    int hits = 0;
    for (int i = 0; i < probes.size(); i++) {
      Rule r = indexed.firstMatch(probes.action(i), probes.address(i), probes.port(i));
      if (r != null) {
        sum += r.index();
        hits++;
      }
    }
    double meanPosition = sum / (double) hits / count;
    // Uniform picks, pulled earlier a little by overlapping subnet rules.
    assertTrue(meanPosition > 0.3 && meanPosition < 0.55, "mean first-match position " + meanPosition);
  }

  @Test
  void theJdkLoadsTheGeneratedFile(@TempDir Path dir) throws IOException {
    assumeTrue(JdkSdpProvider.available(), JdkSdpProvider::unavailableReason);
    Path file = dir.resolve("sdp.conf");
    Files.writeString(file, RuleSetGenerator.generate(1000).text());
    assertTrue(JdkSdpProvider.load(file) != null);
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "connect 10.0.0.1 80 # db\n");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> JdkSdpProvider.load(bad));
    assertTrue(e.getMessage().contains("Malformed line"), e.getMessage());
  }
}
