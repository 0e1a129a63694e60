package dev.sdpshim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Rows a benchmark could not measure, and why. JMH drops a trial whose setup fails from its JSON,
 * so the setup records the reason here first: one JSON object per line in the file named by the
 * environment variable {@value #ENV} ({@code bench/run} sets it; JMH's forks inherit the
 * environment), which the report reads back as {@code {"benchmark", "params", "reason"}}.
 */
final class Skips {
  static final String ENV = "SDPSHIM_BENCH_SKIPS";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Skips() {
  }

  /**
   * Records that the trial of {@code params} cannot run, and returns the exception its setup
   * throws so that JMH reports it (with {@code SKIPPED:} in front) and goes on with the next one.
   */
  static IllegalStateException record(BenchmarkParams params, String reason) {
    String file = System.getenv(ENV);
    if (file != null && !file.isEmpty()) {
      ObjectNode row = JSON.createObjectNode().put("benchmark", params.getBenchmark()).put("reason", reason);
      ObjectNode p = row.putObject("params");
      for (String key : params.getParamsKeys()) {
        p.put(key, params.getParam(key));
      }
      try {
        // One short append per skipped trial: lines from consecutive forks do not interleave.
        Files.writeString(Path.of(file), JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("recording the skipped trial in " + file + " (" + ENV + ")", e);
      }
    }
    return new IllegalStateException("SKIPPED: " + reason);
  }
}
