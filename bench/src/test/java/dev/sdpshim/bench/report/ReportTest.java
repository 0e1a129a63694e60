package dev.sdpshim.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report rendered from a recorded run ({@code bench/run smoke -i 2 -p size=64,1024
 * -p ruleCount=10,1000}, histograms dropped): the expected figures below were worked out by hand
 * from that JSON's scores.
 */
class ReportTest {
  private static final String RECORDED = "/dev/sdpshim/bench/report/recorded/";
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    System.setProperty("java.awt.headless", "true");
  }

  @TempDir
  static Path dir;
  private static String summary;

  @BeforeAll
  static void render() throws IOException {
    copyRecorded(dir);
    summary = Files.readString(Report.render(dir), StandardCharsets.UTF_8);
  }

  private static void copyRecorded(Path to) throws IOException {
    for (String name : List.of(RunResults.RESULTS, RunResults.SKIPS, RunResults.ENV)) {
      try (InputStream in = ReportTest.class.getResourceAsStream(RECORDED + name)) {
        assertNotNull(in, name);
        Files.copy(in, to.resolve(name));
      }
    }
  }

  @Test
  void throughputIsMegabytesPerSecondWithTheRatioToPlainTcpOfTheSameSize() {
    // 243 440.25 ops/s x 1024 B = 249.3 MB/s; 215 342.75 x 1024 = 220.5 MB/s, 0.88 of it.
    assertTrue(summary.contains("| 1 KiB | 249.3 | 220.5 (0.88x) |"), summary);
    // 95 416 100 copies/s of 64 B = 6 107 MB/s, beside plain-tcp's 13.19 MB/s.
    assertTrue(summary.matches("(?s).*\\| 64 B \\| 13\\.19 \\|[^\\n]*\\| 6,107 \\(463x\\) \\|\\n.*"), summary);
  }

  @Test
  void latencyShowsThePercentilesEachBesidePlainTcps() {
    // shim-nomatch 64 B: p50 26.592 us against plain-tcp's 21.44: 1.24x.
    assertTrue(summary.contains("| 64 B | shim-nomatch | 26.59 (1.24x) |"), summary);
    assertTrue(summary.contains("| 64 B | plain-tcp | 21.44 | 848.1 | 3,933 | 53.50 |"), summary);
  }

  @Test
  void connectRateRatioSpansTheIterations() {
    // 4 212.5 / 4 521.8 = 0.93; iterations 3 676.9..4 748.1 against 4 195.0..4 848.5.
    assertTrue(summary.contains("| shim-nomatch | 4,213 | 0.93x [0.76..1.13] |"), summary);
    assertTrue(summary.contains("| connectAccept, shim-nomatch (1 000 rules) vs plain-tcp (loopback) ≥ 0.95 | 0.93x [0.76..1.13] | MISSED |"),
        summary);
  }

  @Test
  void skippedTrialsShowTheirReasonInsteadOfAFigure() {
    assertTrue(summary.contains("| 1 KiB | shim-sdp | not run [1] |"), summary);
    assertTrue(summary.contains("| plain-mptcp | not run [2] |"), summary);
    assertTrue(summary.contains("[1] a SDP listener on 127.0.0.1: Rule line 1 'bind 127.0.0.1 *' matched BIND to"
        + " 127.0.0.1:0 but SDP is not available: EAFNOSUPPORT"), summary);
    assertTrue(summary.contains("| SocketBenchmark.stream | size=1024 target=loopback transport=shim-sdp | [1] |"), summary);
  }

  @Test
  void headerNamesTheMachineTheJvmAndTheCommand() {
    assertTrue(summary.contains("Command: `bench/run smoke -i 2 -p size=64,1024 -p ruleCount=10,1000`."), summary);
    assertTrue(summary.contains("JVM: 25.0.3, OpenJDK 64-Bit Server VM 25.0.3+9-LTS."), summary);
    assertTrue(summary.contains("load average at start (1, 5, 15 min): 5.30 4.08 2.94"), summary);
  }

  @Test
  void matcherAndChartsAreShownAndReadable() throws IOException {
    assertTrue(summary.contains("| 1000 | 86.41 | 122,497 | 1418x [340..3019] |"), summary);
    for (String png : List.of("throughput-loopback.png", "latency-loopback-64.png", "latency-loopback-1024.png",
        "connect-loopback.png", "matcher.png")) {
      assertTrue(summary.contains("](" + png + ")"), png);
      BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
      assertNotNull(image, png + " is not an image");
      assertEquals(960, image.getWidth(), png);
    }
  }

  /** ClusterBenchmark and RailsBenchmark land in other branches: any family gets a table and a chart. */
  @Test
  void anUnknownFamilyIsRenderedAsATableAndAChart(@TempDir Path other) throws IOException {
    copyRecorded(other);
    ArrayNode results = (ArrayNode) JSON.readTree(other.resolve(RunResults.RESULTS).toFile());
    ObjectNode cluster = results.get(0).deepCopy();
    cluster.put("benchmark", "dev.sdpshim.bench.ClusterBenchmark.broadcast");
    cluster.putObject("params").put("members", "3");
    ((ObjectNode) cluster.get("primaryMetric")).put("score", 1234.5).put("scoreUnit", "msgs/s");
    results.add(cluster);
    JSON.writeValue(other.resolve(RunResults.RESULTS).toFile(), results);

    String rendered = Files.readString(Report.render(other), StandardCharsets.UTF_8);
    assertTrue(rendered.contains("## ClusterBenchmark\n"), rendered);
    assertTrue(rendered.contains("| ClusterBenchmark.broadcast | members=3 | 1,235 |"), rendered);
    assertTrue(rendered.contains("](ClusterBenchmark.png)"), rendered);
    assertNotNull(ImageIO.read(other.resolve("ClusterBenchmark.png").toFile()));
  }

  @Test
  void unreadableResultsNameTheFileAndTheCause(@TempDir Path bad) throws IOException {
    Files.writeString(bad.resolve(RunResults.RESULTS), "[{\"benchmark\": ");
    IOException e = assertThrows(IOException.class, () -> RunResults.read(bad));
    assertTrue(e.getMessage().startsWith(bad.resolve(RunResults.RESULTS) + ": not JSON"), e.getMessage());

    Files.writeString(bad.resolve(RunResults.RESULTS), "{}");
    e = assertThrows(IOException.class, () -> RunResults.read(bad));
    assertTrue(e.getMessage().contains("expected JMH's JSON array"), e.getMessage());

    Files.writeString(bad.resolve(RunResults.RESULTS), "[]");
    Files.writeString(bad.resolve(RunResults.SKIPS), "{\"benchmark\":\"a\",\"reason\":\"b\"}\nnot json\n");
    e = assertThrows(IOException.class, () -> RunResults.read(bad));
    assertTrue(e.getMessage().startsWith(bad.resolve(RunResults.SKIPS) + ":2: not JSON"), e.getMessage());
  }

  @Test
  void anEmptyRunSaysSo(@TempDir Path empty) throws IOException {
    Files.writeString(empty.resolve(RunResults.RESULTS), "[]");
    String rendered = Files.readString(Report.render(empty), StandardCharsets.UTF_8);
    assertTrue(rendered.contains("No results."), rendered);
    assertFalse(rendered.contains("!["), rendered);
  }
}
