package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The compiled matcher against the reference linear scan: at least 100 000 random probes over
 * random rule sets. The seed is in every failure message; rerun with -Dsdpconf.seed=N.
 */
class MatcherCrossCheckTest {
  private static final long SEED = Long.getLong("sdpconf.seed", System.nanoTime());

  @Test
  void compiledMatcherAgreesWithLinearScanOnRandomProbes() {
    int probes = 0;
    int matched = 0;
    for (int set = 0; set < 50; set++) {
      long seed = SEED + set;
      RandomConfigs random = new RandomConfigs(seed);
      int size = 1 + random.random().nextInt(set < 40 ? 60 : 2000);
      SdpConfig config = SdpConfigParser.defaults().withResolver(HostResolver.offline()).parse(random.rules(size), "random");
      assertTrue(config.jdkAccepts(), () -> "seed " + seed + ": generator made a bad file " + config.diagnostics());
      RuleMatcher compiled = config.compile();
      RuleMatcher linear = RuleMatcher.linearScan(config.rules());
      for (int i = 0; i < 2_500; i++) {
        Action action = random.action();
        InetAddress address = random.probeAddress();
        int port = random.edgyPort();
        Rule expected = linear.firstMatch(action, address, port);
        Rule actual = compiled.firstMatch(action, address, port);
        int n = i;
        assertEquals(expected, actual, () -> "seed " + seed + " probe " + n + ": " + action + " " + address + ":" + port);
        probes++;
        matched += expected == null ? 0 : 1;
      }
    }
    assertTrue(probes >= 100_000, "probes: " + probes);
    // Both outcomes must be well represented, or the check proves little.
    assertTrue(matched > probes / 20 && matched < probes * 19 / 20, "seed " + SEED + ": matched " + matched + " of " + probes);
  }
}
