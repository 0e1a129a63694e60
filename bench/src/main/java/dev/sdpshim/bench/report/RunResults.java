package dev.sdpshim.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one {@code bench/run} left in its results directory, read back: the JMH JSON
 * ({@value #RESULTS}), the trials that could not run ({@value #SKIPS}, optional) and the machine
 * description ({@value #ENV}, optional).
 */
record RunResults(List<Result> results, List<Skip> skips, Optional<JsonNode> firstRun, String env) {
  static final String RESULTS = "results.json";
  static final String SKIPS = "skipped.jsonl";
  static final String ENV = "env.txt";
  private static final String PACKAGE = "dev.sdpshim.bench.";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads {@code dir}.
   *
   * @throws IOException naming the file and the cause when one is unreadable or not JMH's JSON
   */
  static RunResults read(Path dir) throws IOException {
    Path results = dir.resolve(RESULTS);
    JsonNode root;
    try {
      root = JSON.readTree(results.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(results + ": not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IOException(results + ": expected JMH's JSON array of results");
    }
    List<Skip> skips = new ArrayList<>();
    Path skipFile = dir.resolve(SKIPS);
    if (Files.exists(skipFile)) {
      int lineNumber = 0;
      for (String line : Files.readAllLines(skipFile, StandardCharsets.UTF_8)) {
        lineNumber++;
        if (!line.isBlank()) {
          try {
            skips.add(skip(JSON.readTree(line)));
          } catch (JsonProcessingException e) {
            throw new IOException(skipFile + ":" + lineNumber + ": not JSON: " + e.getOriginalMessage(), e);
          }
        }
      }
    }
    Path envFile = dir.resolve(ENV);
    String env = Files.exists(envFile) ? Files.readString(envFile, StandardCharsets.UTF_8) : "";
    return of(root, skips, env);
  }

  /** The results of a JMH JSON array. */
  static RunResults of(JsonNode root, List<Skip> skips, String env) {
    List<Result> list = new ArrayList<>();
    for (JsonNode n : root) {
      list.add(result(n));
    }
    return new RunResults(List.copyOf(list), List.copyOf(skips),
        Optional.ofNullable(root.size() > 0 ? root.get(0) : null), env);
  }

  private static Result result(JsonNode n) {
    JsonNode m = n.path("primaryMetric");
    double score = m.path("score").asDouble(Double.NaN);
    double low = score;
    double high = score;
    for (JsonNode fork : m.path("rawData")) {
      for (JsonNode iteration : fork) {
        low = Math.min(low, iteration.asDouble());
        high = Math.max(high, iteration.asDouble());
      }
    }
    Map<Double, Double> percentiles = new TreeMap<>();
    m.path("scorePercentiles").fields().forEachRemaining(e -> {
      try {
        percentiles.put(Double.parseDouble(e.getKey()), e.getValue().asDouble());
      } catch (NumberFormatException ignored) {
        // not a percentile key: JMH writes numbers only
      }
    });
    // From -prof dev.sdpshim.bench.CpuTimeProfiler, when it ran: CPU time of the benchmark threads.
    double cpu = n.path("secondaryMetrics").path("cpu.bench").path("score").asDouble(Double.NaN);
    return new Result(shortName(n.path("benchmark").asText()), params(n.path("params")), score,
        m.path("scoreError").asDouble(Double.NaN), low, high, m.path("scoreUnit").asText(), cpu, percentiles);
  }

  private static Skip skip(JsonNode n) {
    return new Skip(shortName(n.path("benchmark").asText()), params(n.path("params")), n.path("reason").asText());
  }

  private static Map<String, String> params(JsonNode node) {
    Map<String, String> params = new TreeMap<>();
    node.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    return params;
  }

  private static String shortName(String name) {
    return name.startsWith(PACKAGE) ? name.substring(PACKAGE.length()) : name;
  }
}
