package dev.sdpshim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.bench.Interleaved.Round;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interleaved's ratios: their direction, their median and spread, and the report's lines. */
class InterleavedTest {

  @Test
  void speedAboveOneMeansTheCandidateIsFasterInRateAndInCpu() {
    Round round = new Round(100, 10, 110, 8);
    assertEquals(1.1, round.rate(), 1e-9);
    assertEquals(1.25, round.cpu(), 1e-9);
  }

  @Test
  void theReportGivesMedianQuartilesAndRangeOfThePerRoundSpeeds() {
    List<Round> rounds = List.of(
        new Round(100, 10, 98, 10),   // rate 0.98, CPU 1.0
        new Round(100, 10, 50, 20),   // 0.5, 0.5: a round where load hit the candidate only
        new Round(100, 10, 110, 5),   // 1.1, 2.0
        new Round(200, 10, 200, 10)); // 1.0, 1.0
    String report = Interleaved.report("cluster-rtt, 2 members", rounds);
    // rate sorted 0.5 0.98 1.0 1.1: median 0.99; quartiles at positions 0.75 and 2.25.
    assertTrue(report.startsWith("cluster-rtt, 2 members, 4 rounds: candidate speed median 0.990x (rate),"
        + " 1.000x (CPU time per op)\n"), report);
    assertTrue(report.contains("  rate   quartiles 0.860x..1.025x, range 0.500x..1.100x\n"), report);
    // CPU sorted 0.5 1.0 1.0 2.0.
    assertTrue(report.contains("  CPU/op quartiles 0.875x..1.250x, range 0.500x..2.000x\n"), report);
    assertTrue(report.contains("  medians: baseline 100 ops/s 10.00 us CPU/op; candidate 104 ops/s 10.00 us CPU/op\n"),
        report);
  }

  @Test
  void quantilesInterpolateBetweenTheNearestValues() {
    double[] values = {4, 1, 3, 2};
    assertEquals(1, Paired.quantile(values, 0));
    assertEquals(1.75, Paired.quantile(values, 0.25), 1e-9);
    assertEquals(2.5, Paired.median(values));
    assertEquals(4, Paired.quantile(values, 1));
    assertEquals(7, Paired.median(new double[] {7}));
  }
}
