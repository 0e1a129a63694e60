package dev.sdpshim.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.bench.Interleaved.Round;
import dev.sdpshim.bench.Interleaved.Sides;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster modes of {@link Interleaved} run end to end: two clusters of two members each on
 * loopback (JGroups' default socket factory, and the shim's whose rules match none of its
 * sockets: setup fails unless the shim judged them), two short rounds, every side measured.
 * The numbers mean nothing here; {@code docs/benchmarks.md} has real runs.
 */
class InterleavedClusterIT {
  private static final long PHASE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  @ParameterizedTest
  @ValueSource(strings = {"cluster-rtt", "cluster-throughput"})
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void bothClustersAreMeasuredInEveryRound(String mode) throws Exception {
    Loopback trial = new Loopback();
    try {
      Sides sides = Interleaved.sides(trial, mode, 2);
      List<Round> rounds = Interleaved.measure(sides, 2, PHASE_NANOS, PHASE_NANOS,
          new PrintStream(OutputStream.nullOutputStream()));
      assertEquals(2, rounds.size());
      for (Round r : rounds) {
        for (double v : new double[] {r.baselineRate(), r.baselineCpu(), r.candidateRate(), r.candidateCpu()}) {
          assertTrue(v > 0 && Double.isFinite(v), mode + ": " + r);
        }
      }
      // A multicast op is a batch: the rate is per message, far above one op per phase.
      double minRate = rounds.stream().mapToDouble(r -> Math.min(r.baselineRate(), r.candidateRate())).min().orElseThrow();
      assertTrue(minRate > (mode.equals("cluster-throughput") ? 200 / 0.3 : 1 / 0.3), mode + ": " + rounds);
    } finally {
      trial.closeAll();
    }
  }
}
