package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sdp-conf against the JDK's own provider on random input: the same files accepted, the same
 * first message, and, among accepted files, the same decision for every probe. Runs on JDK 17–25,
 * where the provider exists. The seed is in every failure message; rerun with -Dsdpconf.seed=N.
 */
class JdkDifferentialTest {
  private static final long SEED = Long.getLong("sdpconf.seed", System.nanoTime());

  @TempDir Path dir;

  @BeforeEach
  void needsTheJdkProvider() {
    assumeTrue(JdkProvider.available(), "this JDK has no SDP provider (JDK 26+)");
  }

  @Test
  void sameDecisionsAsTheJdkForRandomRuleSets() throws Exception {
    for (int set = 0; set < 20; set++) {
      long seed = SEED + set;
      RandomConfigs random = new RandomConfigs(seed);
      Path file = Verdicts.write(dir, random.rules(1 + random.random().nextInt(40)));
      SdpConfig config = Verdicts.parse(file);
      JdkProvider jdk = JdkProvider.load(file);
      RuleMatcher matcher = config.compile();
      for (int i = 0; i < 1_000; i++) {
        Action action = random.action();
        InetAddress address = random.probeAddress();
        int port = random.edgyPort();
        assertEquals(jdk.matches(action, address, port), matcher.matches(action, address, port),
            "seed " + seed + ": " + action + " " + address + ":" + port);
      }
    }
  }

  @Test
  void sameVerdictAsTheJdkForJunkLines() {
    RandomConfigs random = new RandomConfigs(SEED);
    for (int i = 0; i < 1_500; i++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line < 1 + random.random().nextInt(3); line++) {
        text.append(random.junkLine()).append(random.random().nextBoolean() ? "\n" : "\r\n");
      }
      long seed = SEED;
      int n = i;
      Path file = Verdicts.write(dir, text.toString());
      SdpConfig config = Verdicts.parse(file);
      assertEquals(JdkProvider.refusal(file), config.jdkRefusal().orElse(null),
          () -> "seed " + seed + " file " + n + ": " + text);
    }
  }

  @Test
  void sameVerdictAsTheJdkForInvalidUtf8AnywhereInTheFile() throws Exception {
    Random random = new Random(SEED);
    for (int i = 0; i < 200; i++) {
      StringBuilder text = new StringBuilder();
      int lines = 1 + random.nextInt(800);
      for (int l = 0; l < lines; l++) {
        text.append("connect 10.0.").append(l % 250).append(".1 ").append(l % 1000).append('\n');
      }
      byte[] valid = text.toString().getBytes(StandardCharsets.UTF_8);
      byte[] bytes = valid.clone();
      bytes[random.nextInt(bytes.length)] = (byte) (0x80 | random.nextInt(0x80));
      Path file = Verdicts.write(dir, bytes);
      SdpConfig config = Verdicts.parse(file);
      long seed = SEED;
      int n = i;
      assertEquals(JdkProvider.refusal(file), config.jdkRefusal().orElse(null), () -> "seed " + seed + " file " + n);
      if (config.jdkAccepts()) {
        assertSameDecisions(file, config, () -> "seed " + seed + " file " + n);
      }
    }
  }

  /** Probes every rule's own address and edge ports, and the ports of every line of the file. */
  private static void assertSameDecisions(Path file, SdpConfig config, java.util.function.Supplier<String> context)
      throws JdkProvider.Refused {
    JdkProvider jdk = JdkProvider.load(file);
    RuleMatcher matcher = config.compile();
    for (Rule rule : config.rules()) {
      InetAddress address = rule.address().blocks().get(0).network();
      for (int port : new int[] {rule.ports().low(), rule.ports().low() + 1, rule.ports().high()}) {
        if (port >= 0 && port <= PortRange.MAX_PORT) {
          assertEquals(jdk.matches(Action.CONNECT, address, port), matcher.matches(Action.CONNECT, address, port),
              () -> context.get() + ": " + address + ":" + port);
        }
      }
    }
  }
}
