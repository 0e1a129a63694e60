package dev.sdpshim.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Prints a short summary of a JMH JSON result file: every score, then the side-by-side ratios of
 * each benchmark family taken from that same run, then the targets. Used by
 * {@code bench/run}; {@code java -cp benchmarks.jar dev.sdpshim.bench.report.Summary results.json}.
 */
public final class Summary {
  private static final String PACKAGE = "dev.sdpshim.bench.";

  /**
   * One JMH result: benchmark without the package, parameters, score, JMH's 99.9% error, and the
   * lowest and highest measurement iteration (a quick run has too few iterations for a useful
   * confidence interval, so ratios show the range the iterations span).
   */
  record Result(String benchmark, Map<String, String> params, double score, double error, double low, double high,
      String unit, double cpu) {

    String param(String name) {
      return params.getOrDefault(name, "");
    }

    String method() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    String family() {
      return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }
  }

  private final List<Result> results;
  private final JsonNode first;

  Summary(JsonNode root) {
    List<Result> list = new ArrayList<>();
    for (JsonNode n : root) {
      Map<String, String> params = new TreeMap<>();
      n.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      JsonNode m = n.path("primaryMetric");
      double score = m.path("score").asDouble();
      double error = m.path("scoreError").asDouble(Double.NaN);
      double low = score;
      double high = score;
      for (JsonNode fork : m.path("rawData")) {
        for (JsonNode iteration : fork) {
          low = Math.min(low, iteration.asDouble());
          high = Math.max(high, iteration.asDouble());
        }
      }
      String name = n.path("benchmark").asText();
      if (name.startsWith(PACKAGE)) {
        name = name.substring(PACKAGE.length());
      }
      // From -prof dev.sdpshim.bench.CpuTimeProfiler, when it ran: CPU time of the benchmark threads.
      double cpu = n.path("secondaryMetrics").path("cpu.bench").path("score").asDouble(Double.NaN);
      list.add(new Result(name, params, score, error, low, high, m.path("scoreUnit").asText(), cpu));
    }
    this.results = list;
    this.first = root.size() > 0 ? root.get(0) : null;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Summary results.json");
      System.exit(2);
    }
    JsonNode root = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    new Summary(root).print(System.out);
  }

  void print(PrintStream out) {
    if (results.isEmpty()) {
      out.println("No results.");
      return;
    }
    out.printf(Locale.ROOT, "JDK %s (%s %s), %d cores; forks %d, warmup %d x %s, measurement %d x %s%n",
        first.path("jdkVersion").asText(), first.path("vmName").asText(), first.path("vmVersion").asText(),
        Runtime.getRuntime().availableProcessors(), first.path("forks").asInt(),
        first.path("warmupIterations").asInt(), first.path("warmupTime").asText(),
        first.path("measurementIterations").asInt(), first.path("measurementTime").asText());
    out.println();
    printScores(out);
    matcherRatios(out);
    loadRatios(out);
    socketRatios(out);
    agentRatios(out);
  }

  private void printScores(PrintStream out) {
    int nameWidth = "Benchmark".length();
    int paramWidth = "Params".length();
    for (Result r : results) {
      nameWidth = Math.max(nameWidth, r.benchmark().length());
      paramWidth = Math.max(paramWidth, params(r).length());
    }
    String format = "%-" + nameWidth + "s  %-" + paramWidth + "s  %12s  %12s  %-6s  %10s%n";
    out.printf(Locale.ROOT, format, "Benchmark", "Params", "Score", "Error", "Units", "CPU");
    for (Result r : results) {
      out.printf(Locale.ROOT, format, r.benchmark(), params(r), number(r.score()),
          Double.isNaN(r.error()) ? "" : "± " + number(r.error()), r.unit(), Double.isNaN(r.cpu()) ? "" : number(r.cpu()));
    }
    if (results.stream().anyMatch(r -> !Double.isNaN(r.cpu()))) {
      out.println("(Score: wall time. CPU: CPU time of the benchmark threads per op, same unit; a shared machine"
          + " inflates the first, not the second.)");
    }
  }

  private static String params(Result r) {
    StringBuilder sb = new StringBuilder();
    r.params().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return sb.toString();
  }

  /** MatcherBenchmark: linear / indexed per ruleCount, and the lookup targets. */
  private void matcherRatios(PrintStream out) {
    Map<Integer, Result> indexed = new TreeMap<>();
    Map<Integer, Result> linear = new TreeMap<>();
    for (Result r : results) {
      if (r.family().equals("MatcherBenchmark")) {
        int count = Integer.parseInt(r.param("ruleCount"));
        (r.param("matcher").equals("indexed") ? indexed : linear).put(count, r);
      }
    }
    if (indexed.isEmpty() && linear.isEmpty()) {
      return;
    }
    out.println();
    out.println("Rule matching, side by side in this run (ns per lookup; ratio [lowest..highest] over the iterations):");
    out.printf(Locale.ROOT, "%10s  %12s  %14s  %16s%n", "ruleCount", "indexed", "linear", "linear/indexed");
    Map<Integer, Boolean> all = new TreeMap<>();
    indexed.keySet().forEach(k -> all.put(k, true));
    linear.keySet().forEach(k -> all.put(k, true));
    for (int count : all.keySet()) {
      Result i = indexed.get(count);
      Result l = linear.get(count);
      out.printf(Locale.ROOT, "%10d  %12s  %14s  %16s%n", count, i == null ? "-" : number(i.score()),
          l == null ? "-" : number(l.score()), i == null || l == null ? "-" : ratio(l, i));
    }
    Result big = indexed.get(100_000);
    if (big != null) {
      out.println();
      out.println("Targets at 100000 rules:");
      target(out, "indexed lookup <= 100 ns", big.score() <= 100, number(big.score()) + " ns");
      Result l = linear.get(100_000);
      if (l != null) {
        target(out, "linear/indexed >= 100x", l.score() / big.score() >= 100, ratio(l, big));
      }
    }
  }

  /** ConfigLoadBenchmark: the shim's load beside the JDK's, and the parse+compile target. */
  private void loadRatios(PrintStream out) {
    Map<String, Map<String, Result>> byCount = new TreeMap<>();
    for (Result r : results) {
      if (r.family().equals("ConfigLoadBenchmark")) {
        byCount.computeIfAbsent(r.param("ruleCount"), k -> new LinkedHashMap<>()).put(r.method(), r);
      }
    }
    for (Map.Entry<String, Map<String, Result>> e : byCount.entrySet()) {
      Map<String, Result> m = e.getValue();
      out.println();
      out.println("Config loading of " + e.getKey() + " rules from a file, side by side in this run (ms):");
      for (String method : List.of("shimLoad", "shimParse", "shimCompile", "jdkLoad")) {
        Optional.ofNullable(m.get(method)).ifPresent(r ->
            out.printf(Locale.ROOT, "  %-12s %10s ± %-8s%s%n", method, number(r.score()), number(r.error()),
                Double.isNaN(r.cpu()) ? "" : "  (CPU " + number(r.cpu()) + ")"));
      }
      Result shim = m.get("shimLoad");
      Result jdk = m.get("jdkLoad");
      if (shim != null && jdk != null) {
        out.printf(Locale.ROOT, "  shimLoad/jdkLoad = %s (the shim also lints: overlaps, duplicates, reach)%n", ratio(shim, jdk));
      } else if (shim != null) {
        out.println("  jdkLoad: not run (JDK 26+ has no sun.net.sdp.SdpProvider, or excluded)");
      }
      if (shim != null && e.getKey().equals("100000")) {
        out.println();
        out.println("Target at 100000 rules:");
        target(out, "parse+compile < 300 ms", toMillis(shim) < 300, number(toMillis(shim)) + " ms"
            + (Double.isNaN(shim.cpu()) ? "" : ", CPU " + number(toMillis(shim) * shim.cpu() / shim.score()) + " ms"));
      }
    }
  }

  /** Bytes each SocketBenchmark.stream op writes. */
  static final int STREAM_CHUNK = 64 * 1024;

  /** SocketBenchmark: each shim transport against its plain counterpart, per benchmark. */
  private void socketRatios(PrintStream out) {
    Map<String, Map<String, Result>> byMethod = new TreeMap<>();
    for (Result r : results) {
      if (r.family().equals("SocketBenchmark")) {
        byMethod.computeIfAbsent(r.method(), k -> new LinkedHashMap<>()).put(r.param("transport"), r);
      }
    }
    if (byMethod.isEmpty()) {
      return;
    }
    out.println();
    out.println("Socket path on 127.0.0.1, side by side in this run (speed = shim/plain throughput, or plain/shim"
        + " time: >= 1 means the shim is no slower; [lowest..highest] over the iterations):");
    for (Map.Entry<String, Map<String, Result>> e : byMethod.entrySet()) {
      Map<String, Result> m = e.getValue();
      for (Result r : m.values()) {
        String extra = e.getKey().equals("stream")
            ? String.format(Locale.ROOT, "  = %s MB/s", number(r.score() * STREAM_CHUNK / 1e6)) : "";
        // CPU of the benchmark thread per op in us (throughput results carry it in s/op).
        double cpuMicros = r.unit().endsWith("/op") ? r.cpu() : r.cpu() * 1e6;
        out.printf(Locale.ROOT, "  %-14s %-13s %12s %-6s  CPU %8s us/op%s%n", e.getKey(), r.param("transport"),
            number(r.score()), r.unit(), Double.isNaN(cpuMicros) ? "-" : number(cpuMicros), extra);
      }
      double target = e.getKey().equals("connectAccept") ? 0.95 : 0.98;
      speed(out, e.getKey(), m.get("shim-nomatch"), m.get("plain-tcp"), "shim-nomatch vs plain-tcp", target);
      if (e.getKey().equals("connectAccept")) {
        speed(out, e.getKey(), m.get("shim-mptcp"), m.get("plain-tcp"), "shim-mptcp vs plain-tcp", Double.NaN);
      } else {
        speed(out, e.getKey(), m.get("shim-mptcp"), m.get("plain-mptcp"), "shim-mptcp vs plain-mptcp", target);
      }
    }
  }

  /** AgentOnBenchmark against AgentOffBenchmark (same code, JVM with and without the agent). */
  private void agentRatios(PrintStream out) {
    Map<String, Result> on = new TreeMap<>();
    Map<String, Result> off = new TreeMap<>();
    for (Result r : results) {
      if (r.family().equals("AgentOnBenchmark")) {
        on.put(r.method(), r);
      } else if (r.family().equals("AgentOffBenchmark")) {
        off.put(r.method(), r);
      }
    }
    if (on.isEmpty() && off.isEmpty()) {
      return;
    }
    out.println();
    out.println("Plain JDK sockets under the agent (1000 rules, none matching) vs without it, side by side in this run:");
    for (String method : new TreeMap<>(Map.of("connectAccept", 0, "pingPong", 0)).keySet()) {
      Result a = on.get(method);
      Result b = off.get(method);
      out.printf(Locale.ROOT, "  %-14s agent off %12s   agent on %12s %s%n", method, b == null ? "-" : number(b.score()),
          a == null ? "-" : number(a.score()), a != null ? a.unit() : b != null ? b.unit() : "");
      speed(out, method, a, b, "agent on vs off", 0.95);
    }
  }

  /** One speed line: shim/plain for throughput, plain/shim for time per op, with its target if any. */
  private static void speed(PrintStream out, String method, Result shim, Result plain, String what, double target) {
    if (shim == null || plain == null) {
      return;
    }
    boolean time = shim.unit().endsWith("/op");
    double r = time ? plain.score() / shim.score() : shim.score() / plain.score();
    String ratio = time ? ratio(plain, shim) : ratio(shim, plain);
    String verdict = Double.isNaN(target) ? "(informational: conversion per socket)"
        : String.format(Locale.ROOT, "target >= %.2f %s", target, r >= target ? "MET" : "MISSED");
    out.printf(Locale.ROOT, "  %-14s %-26s speed %-22s %s%n", method, what, ratio, verdict);
  }

  private static double toMillis(Result r) {
    return switch (r.unit()) {
      case "ms/op" -> r.score();
      case "s/op" -> r.score() * 1e3;
      case "us/op" -> r.score() / 1e3;
      case "ns/op" -> r.score() / 1e6;
      default -> throw new IllegalArgumentException("unexpected unit " + r.unit());
    };
  }

  private static void target(PrintStream out, String what, boolean met, String measured) {
    out.printf(Locale.ROOT, "  %-28s %-5s (%s)%n", what, met ? "MET" : "MISSED", measured);
  }

  /** {@code a / b}, and the extreme ratios any iteration of one and of the other could give. */
  static String ratio(Result a, Result b) {
    double r = a.score() / b.score();
    if (a.low() == a.high() && b.low() == b.high()) {
      return ratioNumber(r) + "x";
    }
    return ratioNumber(r) + "x [" + ratioNumber(a.low() / b.high()) + ".." + ratioNumber(a.high() / b.low()) + "]";
  }

  private static String ratioNumber(double r) {
    if (Double.isInfinite(r)) {
      return "inf";
    }
    return r >= 100 ? String.format(Locale.ROOT, "%.0f", r) : r >= 10 ? String.format(Locale.ROOT, "%.1f", r)
        : String.format(Locale.ROOT, "%.2f", r);
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    double a = Math.abs(v);
    return a >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : a >= 100 ? String.format(Locale.ROOT, "%.1f", v)
        : a >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
