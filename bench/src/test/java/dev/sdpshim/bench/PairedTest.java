package dev.sdpshim.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.bench.Paired.Comparison;
import dev.sdpshim.bench.Paired.Score;
import dev.sdpshim.bench.Paired.Speeds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Paired's comparison syntax, the direction of its ratios and its report. */
class PairedTest {

  @Test
  void aComparisonNamesTwoBenchmarksWithTheirParameters() {
    Comparison c = Comparison.parse("stream=SocketBenchmark.stream;transport=plain-tcp;size=65536,"
        + "SocketBenchmark.stream;transport=shim-nomatch;size=65536");
    assertEquals("stream", c.label());
    assertEquals("SocketBenchmark.stream", c.baseline().benchmark());
    assertEquals(Map.of("transport", "plain-tcp", "size", "65536"), c.baseline().params());
    assertEquals(Map.of("transport", "shim-nomatch", "size", "65536"), c.candidate().params());
    assertEquals("SocketBenchmark.stream;transport=shim-nomatch;size=65536", c.candidate().toString());
  }

  @Test
  void malformedComparisonsAreRefusedWithTheText() {
    for (String bad : List.of("noequals", "=A,B", "x=A", "x=A,B,C", "x=A;size,B")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Comparison.parse(bad));
      assertTrue(e.getMessage().contains(bad.contains(";size") ? "size" : bad), e.getMessage());
    }
  }

  @Test
  void speedAboveOneMeansTheCandidateIsFasterWhateverTheUnit() {
    Comparison c = Comparison.parse("x=A,B");
    Speeds throughput = new Speeds(c, List.of(new Score(100, "ops/s", true), new Score(100, "ops/s", true)),
        List.of(new Score(95, "ops/s", true), new Score(110, "ops/s", true)));
    assertArrayEquals(new double[] {0.95, 1.10}, throughput.perRound(), 1e-9);
    Speeds latency = new Speeds(c, List.of(new Score(20, "us/op", false)), List.of(new Score(25, "us/op", false)));
    assertArrayEquals(new double[] {0.8}, latency.perRound(), 1e-9);
  }

  @Test
  void theReportGivesTheMedianOfThePerRoundRatios() {
    Comparison c = Comparison.parse("connect=Off.connectAccept,On.connectAccept");
    List<Score> off = List.of(new Score(100, "ops/s", true, 40), new Score(200, "ops/s", true, 40),
        new Score(50, "ops/s", true, 44));
    List<Score> on = List.of(new Score(97, "ops/s", true, 42), new Score(100, "ops/s", true, 40),
        new Score(49, "ops/s", true, 44));
    String report = Paired.report(List.of(new Speeds(c, off, on)), 3, "args");
    // Per round 0.97, 0.50, 0.98: the median ignores the round where load hit one side only.
    // CPU per op: 40/42, 40/40, 44/44 -> median 1.000.
    assertTrue(report.matches("(?s).*connect\\s+0\\.970x\\s+0\\.500x\\s+0\\.980x\\s+1\\.000x\\s+0\\.970 0\\.500 0\\.980.*"), report);
    assertEquals(2.5, Paired.median(new double[] {4, 1, 3, 2}));
  }
}
