package dev.sdpshim.bench.report;

import java.util.Map;

/**
 * One JMH result: benchmark without the package, parameters, score, JMH's 99.9% error, the lowest
 * and highest measurement iteration (a quick run has too few iterations for a useful confidence
 * interval, so ratios show the range the iterations span), the CPU time per op from
 * {@code CpuTimeProfiler} (NaN when it did not run) and, for sampled modes, the percentiles.
 */
record Result(String benchmark, Map<String, String> params, double score, double error, double low, double high,
    String unit, double cpu, Map<Double, Double> percentiles) {

  String param(String name) {
    return params.getOrDefault(name, "");
  }

  String method() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  String family() {
    return benchmark.substring(0, benchmark.lastIndexOf('.'));
  }

  /** The {@code p}th percentile (50, 99, 99.9), or NaN when the mode sampled none. */
  double percentile(double p) {
    return percentiles.getOrDefault(p, Double.NaN);
  }

  /** Whether the score is a time per operation (lower is better) rather than a rate. */
  boolean isTime() {
    return unit.endsWith("/op");
  }
}
