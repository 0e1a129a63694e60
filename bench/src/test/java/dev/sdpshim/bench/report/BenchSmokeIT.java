package dev.sdpshim.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark jar runs end to end: {@code bench/run smoke} (every benchmark, one fork, one
 * 100 ms iteration, the smallest parameters) on the jar the build just packaged, into
 * {@code target/smoke}, and the report it renders is read back: every number positive, SDP's
 * rows skipped with EAFNOSUPPORT instead of measured, the charts decodable PNGs.
 */
class BenchSmokeIT {
  private static final Path OUT = Path.of("target", "smoke");
  private static final long TIMEOUT_MINUTES = 5;
  private static String summary;

  @BeforeAll
  static void runSmoke() throws IOException, InterruptedException {
    deleteRecursively(OUT);
    Path log = Path.of("target", "smoke.log");
    ProcessBuilder pb = new ProcessBuilder("bash", "run", "smoke", "--out", OUT.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // This JVM is the JDK 25 the build chose; the jar is the one the package phase made.
    pb.environment().put("BENCH_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("BENCH_NO_BUILD", "1");
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("bench/run smoke did not finish in " + TIMEOUT_MINUTES + " minutes; see " + log.toAbsolutePath());
    }
    assertEquals(0, p.exitValue(), () -> "bench/run smoke failed:\n" + tail(log));
    summary = Files.readString(OUT.resolve(Report.SUMMARY), StandardCharsets.UTF_8);
  }

  @Test
  void everyResultParsedBackIsPositive() throws IOException {
    RunResults run = RunResults.read(OUT);
    Set<String> expected = Set.of("SocketBenchmark.stream", "SocketBenchmark.pingPong", "SocketBenchmark.connectAccept",
        "MemoryCopyBenchmark.heapToDirect", "MatcherBenchmark.firstMatch", "ConfigLoadBenchmark.shimLoad",
        "AgentOnBenchmark.connectAccept", "AgentOffBenchmark.connectAccept");
    for (String name : expected) {
      assertTrue(run.results().stream().anyMatch(r -> r.benchmark().equals(name)), name + " missing from results.json");
    }
    for (Result r : run.results()) {
      assertTrue(r.score() > 0 && Double.isFinite(r.score()), r + ": score not positive");
    }
    for (String transport : List.of("plain-tcp", "shim-nomatch", "plain-mptcp", "shim-mptcp")) {
      assertTrue(run.results().stream().anyMatch(r -> r.benchmark().equals("SocketBenchmark.stream")
          && r.param("transport").equals(transport)), "stream " + transport + " did not run");
    }
  }

  @Test
  void sdpRowsAreSkippedWithTheReasonNotMeasured() throws IOException {
    RunResults run = RunResults.read(OUT);
    assertFalse(run.results().stream().anyMatch(r -> r.param("transport").equals("shim-sdp")),
        "shim-sdp was measured on a machine without AF_INET_SDP");
    for (String method : List.of("stream", "pingPong", "connectAccept")) {
      assertTrue(run.skips().stream().anyMatch(s -> s.benchmark().equals("SocketBenchmark." + method)
          && s.param("transport").equals("shim-sdp") && s.reason().contains("EAFNOSUPPORT")),
          method + ": no skip naming EAFNOSUPPORT in " + run.skips());
    }
    assertTrue(summary.matches("(?s).*\\| 64 B \\|[^\\n]*\\| not run \\[\\d\\] \\|.*"), summary);
    assertTrue(summary.contains("EAFNOSUPPORT"), summary);
  }

  /** The throughput, latency and connect tables of the summary, number by number. */
  @Test
  void summaryNumbersAreParsedBackPositive() {
    List<Double> throughput = figures(section("## Streaming throughput"));
    List<Double> latency = figures(section("## Round-trip latency"));
    List<Double> connect = figures(section("## Connect + accept rate"));
    // 4 transports and the memory copy, each a value and (but plain-tcp) a ratio.
    assertTrue(throughput.size() >= 9, "throughput figures " + throughput);
    assertTrue(latency.size() >= 4 * 4, "latency figures " + latency);
    assertTrue(connect.size() >= 3, "connect figures " + connect);
    for (List<Double> figures : List.of(throughput, latency, connect)) {
      figures.forEach(v -> assertTrue(v > 0 && Double.isFinite(v), "non-positive figure " + v + " in\n" + summary));
    }
  }

  @Test
  void chartsAreReadablePngs() throws IOException {
    for (String png : List.of("throughput-loopback.png", "latency-loopback-64.png", "connect-loopback.png", "matcher.png")) {
      assertTrue(summary.contains("](" + png + ")"), png + " not shown in the summary");
      BufferedImage image = ImageIO.read(OUT.resolve(png).toFile());
      assertTrue(image != null && image.getWidth() >= 600 && image.getHeight() >= 400, png + " is not a chart-sized PNG");
    }
  }

  private static String section(String heading) {
    int start = summary.indexOf(heading);
    assertTrue(start >= 0, heading + " missing:\n" + summary);
    int end = summary.indexOf("\n## ", start + 1);
    return summary.substring(start, end < 0 ? summary.length() : end);
  }

  /** The figures in the table rows of {@code section}, after each row's text columns. */
  private static List<Double> figures(String section) {
    List<Double> values = new ArrayList<>();
    Pattern number = Pattern.compile("(?<![\\w\\[.])(\\d[\\d,]*(?:\\.\\d+)?)x?(?![\\w\\]])");
    for (String line : section.lines().filter(l -> l.startsWith("| ") && !l.contains("---")).skip(1).toList()) {
      String[] cells = line.split("\\|");
      // cells[0] is empty, cells[1] the size or transport; the transport column holds text too.
      for (int i = 2; i < cells.length; i++) {
        Matcher m = number.matcher(cells[i]);
        while (m.find()) {
          values.add(Double.parseDouble(m.group(1).replace(",", "")));
        }
      }
    }
    return values;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
    }
  }
}
