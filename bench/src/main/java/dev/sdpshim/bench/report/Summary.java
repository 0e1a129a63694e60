package dev.sdpshim.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The Markdown summary of one run: the machine and JVM, every socket figure beside plain TCP's
 * from the same run (as a ratio), the rows that could not run and why, the rule-matching,
 * config-loading and agent comparisons, the issues' targets, and a table for any other benchmark.
 * {@link Report} writes it next to the charts it embeds.
 */
final class Summary {
  /** The socket transports in the order the tables show them; plain-tcp is the reference. */
  static final List<String> TRANSPORTS = List.of("plain-tcp", "shim-nomatch", "plain-mptcp", "shim-mptcp", "shim-sdp");
  static final String PLAIN = "plain-tcp";
  /** The families this class has sections for; any other is shown as a table of its scores. */
  static final Set<String> KNOWN = Set.of("SocketBenchmark", "MemoryCopyBenchmark", "MatcherBenchmark",
      "ConfigLoadBenchmark", "AgentOnBenchmark", "AgentOffBenchmark");
  /** The streaming target is for 64 KiB writes. */
  static final int TARGET_STREAM_SIZE = 64 * 1024;

  private final RunResults run;
  private final Charts.Written charts;
  private final List<String> reasons = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();

  Summary(RunResults run, Charts.Written charts) {
    this.run = run;
    this.charts = charts;
  }

  /** The whole summary. */
  String render() {
    header();
    if (run.results().isEmpty() && run.skips().isEmpty()) {
      out.append("No results.\n");
      return out.toString();
    }
    for (String target : targets()) {
      socketThroughput(target);
      socketLatency(target);
      socketConnect(target);
    }
    matcher();
    configLoad();
    agent();
    others();
    targetsMet();
    notRun();
    allScores();
    return out.toString();
  }

  private void header() {
    out.append("# sdp-shim benchmarks\n\n");
    String env = run.env();
    line(env, "date: ").ifPresent(d -> out.append("Run at ").append(d).append(". "));
    line(env, "command: ").ifPresent(c -> out.append("Command: `").append(c.strip()).append("`."));
    out.append("\n\n");
    run.firstRun().ifPresent(first -> out.append(String.format(Locale.ROOT,
        "JVM: %s, %s %s. JMH %s; forks %d, warmup %d × %s, measurement %d × %s.%n%n",
        first.path("jdkVersion").asText(), first.path("vmName").asText(), first.path("vmVersion").asText(),
        first.path("jmhVersion").asText(), first.path("forks").asInt(), first.path("warmupIterations").asInt(),
        first.path("warmupTime").asText(), first.path("measurementIterations").asInt(),
        first.path("measurementTime").asText())));
    if (!env.isBlank()) {
      out.append("Machine and run (`env.txt`):\n\n```\n").append(env.strip()).append("\n```\n\n");
    }
    out.append("Every figure is from this one run. Socket figures are also given as a ratio to plain TCP of the same")
        .append(" benchmark and size (for rates: x/plain, above 1 is faster; for times: x/plain, above 1 is slower).")
        .append(" [lowest..highest] is the range any pair of measurement iterations spans.\n\n");
  }

  private static Optional<String> line(String env, String prefix) {
    return env.lines().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()));
  }

  private Set<String> targets() {
    Set<String> targets = new LinkedHashSet<>();
    socket(r -> true).forEach(r -> targets.add(r.param("target")));
    run.skips().stream().filter(s -> s.benchmark().startsWith("SocketBenchmark.")).forEach(s -> targets.add(s.param("target")));
    return targets;
  }

  private List<Result> socket(Predicate<Result> filter) {
    return run.results().stream().filter(r -> r.family().equals("SocketBenchmark")).filter(filter).toList();
  }

  /** The socket result of {@code method} for a transport, target and (when not empty) size. */
  private Optional<Result> socket(String method, String transport, String target, String size) {
    return socket(r -> r.method().equals(method) && r.param("transport").equals(transport)
        && r.param("target").equals(target) && r.param("size").equals(size)).stream().findFirst();
  }

  private Optional<Skip> skipped(String method, String transport, String target, String size) {
    return run.skips().stream().filter(s -> s.benchmark().equals("SocketBenchmark." + method)
        && s.param("transport").equals(transport) && s.param("target").equals(target)
        && s.param("size").equals(size)).findFirst();
  }

  /** The transports the run has results or skips for, in {@link #TRANSPORTS} order. */
  private List<String> transports(String method, String target) {
    Set<String> seen = new TreeSet<>();
    socket(r -> r.method().equals(method) && r.param("target").equals(target)).forEach(r -> seen.add(r.param("transport")));
    run.skips().stream().filter(s -> s.benchmark().equals("SocketBenchmark." + method) && s.param("target").equals(target))
        .forEach(s -> seen.add(s.param("transport")));
    List<String> ordered = new ArrayList<>(TRANSPORTS.stream().filter(seen::contains).toList());
    seen.stream().filter(t -> !TRANSPORTS.contains(t)).forEach(ordered::add);
    return ordered;
  }

  private Set<Integer> sizes(String method, String target) {
    Set<Integer> sizes = new TreeSet<>();
    socket(r -> r.method().equals(method) && r.param("target").equals(target)).forEach(r -> sizes.add(size(r.param("size"))));
    run.skips().stream().filter(s -> s.benchmark().equals("SocketBenchmark." + method) && s.param("target").equals(target))
        .forEach(s -> sizes.add(size(s.param("size"))));
    return sizes;
  }

  /** A numeric parameter (size, ruleCount), 0 when absent. */
  static int size(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The note number of a skip reason (one per distinct reason), listed under "Not measured". */
  private String notRunCell(Skip skip) {
    int i = reasons.indexOf(skip.reason());
    if (i < 0) {
      reasons.add(skip.reason());
      i = reasons.size() - 1;
    }
    return "not run [" + (i + 1) + "]";
  }

  /** A figure of {@code transport} with its ratio to plain-tcp's, or why the trial did not run. */
  private String cell(String method, String transport, String target, String size, Result plain,
      ToDoubleFunction<Result> value) {
    Optional<Result> r = socket(method, transport, target, size);
    if (r.isEmpty()) {
      return skipped(method, transport, target, size).map(this::notRunCell).orElse("–");
    }
    String v = number(value.applyAsDouble(r.get()));
    if (plain == null || transport.equals(PLAIN)) {
      return v;
    }
    return v + " (" + ratioNumber(value.applyAsDouble(r.get()) / value.applyAsDouble(plain)) + "x)";
  }

  /** MB/s of a stream or memory-copy result: ops/s × the bytes of one op. */
  static double megabytesPerSecond(Result r) {
    return r.score() * size(r.param("size")) / 1e6;
  }

  private void socketThroughput(String target) {
    Set<Integer> sizes = sizes("stream", target);
    if (sizes.isEmpty()) {
      return;
    }
    List<String> transports = transports("stream", target);
    out.append("## Streaming throughput, target ").append(target).append("\n\n");
    out.append("`SocketBenchmark.stream`: one write of `size` bytes per op while the peer discards, in MB/s")
        .append(" (ops/s × size). In brackets: the ratio to plain-tcp at the same size.");
    List<String> header = new ArrayList<>(List.of("size"));
    header.addAll(transports);
    boolean copy = run.results().stream().anyMatch(r -> r.family().equals("MemoryCopyBenchmark"));
    if (copy) {
      header.add("memory copy");
      out.append(" Memory copy (`MemoryCopyBenchmark.heapToDirect`, heap array into a direct buffer, the copy the")
          .append(" JDK makes before every socket write) is this machine's ceiling for loopback.");
    }
    out.append("\n\n");
    MarkdownTable table = new MarkdownTable(1, header);
    for (int size : sizes) {
      String s = Integer.toString(size);
      Result plain = socket("stream", PLAIN, target, s).orElse(null);
      List<String> row = new ArrayList<>(List.of(bytes(size)));
      for (String t : transports) {
        row.add(cell("stream", t, target, s, plain, Summary::megabytesPerSecond));
      }
      if (copy) {
        Optional<Result> c = run.results().stream()
            .filter(r -> r.family().equals("MemoryCopyBenchmark") && r.param("size").equals(s)).findFirst();
        row.add(c.map(r -> number(megabytesPerSecond(r))
            + (plain == null ? "" : " (" + ratioNumber(megabytesPerSecond(r) / megabytesPerSecond(plain)) + "x)"))
            .orElse("–"));
      }
      table.row(row);
    }
    out.append(table).append('\n');
    image(Charts.THROUGHPUT + "-" + target, "Throughput vs message size per transport");
  }

  private void socketLatency(String target) {
    Set<Integer> sizes = sizes("pingPong", target);
    if (sizes.isEmpty()) {
      return;
    }
    out.append("## Round-trip latency, target ").append(target).append("\n\n");
    out.append("`SocketBenchmark.pingPong`: `size` bytes and their echo, every round trip sampled (JMH")
        .append(" SampleTime), in µs. In brackets: the ratio to plain-tcp's same percentile (above 1 is slower).\n\n");
    MarkdownTable table = new MarkdownTable(2, List.of("size", "transport", "p50", "p99", "p99.9", "mean", "CPU per op"));
    List<String> transports = transports("pingPong", target);
    for (int size : sizes) {
      String s = Integer.toString(size);
      Result plain = socket("pingPong", PLAIN, target, s).orElse(null);
      for (String t : transports) {
        Optional<Result> r = socket("pingPong", t, target, s);
        if (r.isEmpty()) {
          String why = skipped("pingPong", t, target, s).map(this::notRunCell).orElse("–");
          table.row(List.of(bytes(size), t, why, "", "", "", ""));
          continue;
        }
        table.row(List.of(bytes(size), t,
            cell("pingPong", t, target, s, plain, x -> x.percentile(50)),
            cell("pingPong", t, target, s, plain, x -> x.percentile(99)),
            cell("pingPong", t, target, s, plain, x -> x.percentile(99.9)),
            cell("pingPong", t, target, s, plain, Result::score),
            cpu(r.get())));
      }
    }
    out.append(table).append('\n');
    for (int size : sizes) {
      image(Charts.LATENCY + "-" + target + "-" + size, "Round-trip latency percentiles per transport, " + bytes(size));
    }
  }

  private void socketConnect(String target) {
    List<String> transports = transports("connectAccept", target);
    if (transports.isEmpty()) {
      return;
    }
    out.append("## Connect + accept rate, target ").append(target).append("\n\n");
    out.append("`SocketBenchmark.connectAccept`: a new connection, accepted by the peer and answered with one")
        .append(" byte, then reset (ops/s). A converting transport pays its conversion on every connection.\n\n");
    MarkdownTable table = new MarkdownTable(1, List.of("transport", "connections/s", "vs plain-tcp", "CPU per op"));
    Result plain = socket("connectAccept", PLAIN, target, "").orElse(null);
    for (String t : transports) {
      Optional<Result> r = socket("connectAccept", t, target, "");
      if (r.isEmpty()) {
        table.row(List.of(t, skipped("connectAccept", t, target, "").map(this::notRunCell).orElse("–"), "", ""));
        continue;
      }
      table.row(List.of(t, number(r.get().score()), plain == null ? "" : ratio(r.get(), plain),
          cpu(r.get())));
    }
    out.append(table).append('\n');
    image(Charts.CONNECT + "-" + target, "Connect + accept rate per transport");
  }

  private void matcher() {
    Map<Integer, Map<String, Result>> byCount = new TreeMap<>();
    for (Result r : run.results()) {
      if (r.family().equals("MatcherBenchmark")) {
        byCount.computeIfAbsent(size(r.param("ruleCount")), k -> new TreeMap<>()).put(r.param("matcher"), r);
      }
    }
    if (byCount.isEmpty()) {
      return;
    }
    out.append("## Rule matching\n\n`MatcherBenchmark.firstMatch`: ns per lookup, the compiled matcher beside the")
        .append(" linear scan with the same semantics.\n\n");
    MarkdownTable table = new MarkdownTable(1, List.of("ruleCount", "indexed", "linear", "linear / indexed"));
    byCount.forEach((count, m) -> {
      Result i = m.get("indexed");
      Result l = m.get("linear");
      table.row(List.of(Integer.toString(count), i == null ? "–" : number(i.score()), l == null ? "–" : number(l.score()),
          i == null || l == null ? "–" : ratio(l, i)));
    });
    out.append(table).append('\n');
    image(Charts.MATCHER, "Matcher cost vs rule count");
  }

  private void configLoad() {
    Map<String, Map<String, Result>> byCount = new TreeMap<>();
    for (Result r : run.results()) {
      if (r.family().equals("ConfigLoadBenchmark")) {
        byCount.computeIfAbsent(r.param("ruleCount"), k -> new LinkedHashMap<>()).put(r.method(), r);
      }
    }
    byCount.forEach((count, m) -> {
      out.append("## Config loading, ").append(count).append(" rules\n\n");
      MarkdownTable table = new MarkdownTable(1, List.of("operation", "wall", "CPU", "unit"));
      for (String method : List.of("shimLoad", "shimParse", "shimCompile", "jdkLoad")) {
        Result r = m.get(method);
        if (r != null) {
          table.row(List.of(method, number(r.score()) + (Double.isNaN(r.error()) ? "" : " ± " + number(r.error())),
              Double.isNaN(r.cpu()) ? "" : number(r.cpu()), r.unit()));
        }
      }
      out.append(table).append('\n');
      Result shim = m.get("shimLoad");
      Result jdk = m.get("jdkLoad");
      if (shim != null && jdk != null) {
        out.append("shimLoad / jdkLoad = ").append(ratio(shim, jdk))
            .append(" (the shim also lints: overlaps, duplicates, reach).\n\n");
      } else if (shim != null) {
        out.append("jdkLoad: not run (JDK 26+ has no `sun.net.sdp.SdpProvider`, or excluded).\n\n");
      }
    });
  }

  private void agent() {
    Map<String, Result> on = new TreeMap<>();
    Map<String, Result> off = new TreeMap<>();
    for (Result r : run.results()) {
      if (r.family().equals("AgentOnBenchmark")) {
        on.put(r.method(), r);
      } else if (r.family().equals("AgentOffBenchmark")) {
        off.put(r.method(), r);
      }
    }
    if (on.isEmpty() && off.isEmpty()) {
      return;
    }
    out.append("## Plain JDK sockets under the agent\n\n`AgentOnBenchmark` (with `-javaagent` and 1 000 rules,")
        .append(" none matching loopback) beside `AgentOffBenchmark` (no agent): same code, two JVMs.\n\n");
    MarkdownTable table = new MarkdownTable(1, List.of("benchmark", "agent off", "agent on", "unit", "speed on vs off"));
    Set<String> methods = new TreeSet<>(on.keySet());
    methods.addAll(off.keySet());
    for (String method : methods) {
      Result a = on.get(method);
      Result b = off.get(method);
      table.row(List.of(method, b == null ? "–" : number(b.score()), a == null ? "–" : number(a.score()),
          a != null ? a.unit() : b.unit(), a == null || b == null ? "–" : speed(a, b)));
    }
    out.append(table).append('\n');
  }

  /** Families without a section of their own (ClusterBenchmark, RailsBenchmark, ...): their scores. */
  private void others() {
    Map<String, List<Result>> byFamily = new TreeMap<>();
    run.results().stream().filter(r -> !KNOWN.contains(r.family()))
        .forEach(r -> byFamily.computeIfAbsent(r.family(), k -> new ArrayList<>()).add(r));
    byFamily.forEach((family, results) -> {
      out.append("## ").append(family).append("\n\n");
      out.append(scoreTable(results)).append('\n');
      image(family, family + ": scores per benchmark and parameters");
    });
  }

  private void targetsMet() {
    List<String[]> lines = new ArrayList<>();
    for (String target : targets()) {
      String size = Integer.toString(TARGET_STREAM_SIZE);
      speedTarget(lines, "stream 64 KiB, shim-nomatch vs plain-tcp (" + target + ")",
          socket("stream", "shim-nomatch", target, size), socket("stream", PLAIN, target, size), 0.98);
      speedTarget(lines, "stream 64 KiB, shim-mptcp vs plain-mptcp (" + target + ")",
          socket("stream", "shim-mptcp", target, size), socket("stream", "plain-mptcp", target, size), 0.98);
      Optional<Integer> smallest = sizes("pingPong", target).stream().findFirst();
      if (smallest.isPresent()) {
        String s = Integer.toString(smallest.get());
        speedTarget(lines, "pingPong " + bytes(smallest.get()) + " mean, shim-nomatch vs plain-tcp (" + target + ")",
            socket("pingPong", "shim-nomatch", target, s), socket("pingPong", PLAIN, target, s), 0.98);
        speedTarget(lines, "pingPong " + bytes(smallest.get()) + " mean, shim-mptcp vs plain-mptcp (" + target + ")",
            socket("pingPong", "shim-mptcp", target, s), socket("pingPong", "plain-mptcp", target, s), 0.98);
        medianTarget(lines, "pingPong " + bytes(smallest.get()) + " p50, shim-nomatch vs plain-tcp (" + target + ")",
            socket("pingPong", "shim-nomatch", target, s), socket("pingPong", PLAIN, target, s), 0.98);
        medianTarget(lines, "pingPong " + bytes(smallest.get()) + " p50, shim-mptcp vs plain-mptcp (" + target + ")",
            socket("pingPong", "shim-mptcp", target, s), socket("pingPong", "plain-mptcp", target, s), 0.98);
      }
      speedTarget(lines, "connectAccept, shim-nomatch (1 000 rules) vs plain-tcp (" + target + ")",
          socket("connectAccept", "shim-nomatch", target, ""), socket("connectAccept", PLAIN, target, ""), 0.95);
    }
    for (String method : List.of("connectAccept", "pingPong")) {
      speedTarget(lines, "agent " + method + ", on vs off",
          family("AgentOnBenchmark", method), family("AgentOffBenchmark", method), 0.95);
    }
    Optional<Result> indexed = matcher("indexed", "100000");
    indexed.ifPresent(i -> lines.add(new String[] {"indexed lookup at 100 000 rules ≤ 100 ns",
        number(i.score()) + " ns", verdict(i.score() <= 100)}));
    Optional<Result> linear = matcher("linear", "100000");
    if (indexed.isPresent() && linear.isPresent()) {
      lines.add(new String[] {"linear / indexed at 100 000 rules ≥ 100x", ratio(linear.get(), indexed.get()),
          verdict(linear.get().score() / indexed.get().score() >= 100)});
    }
    run.results().stream().filter(r -> r.benchmark().equals("ConfigLoadBenchmark.shimLoad")
        && r.param("ruleCount").equals("100000") && r.unit().equals("ms/op")).findFirst()
        .ifPresent(r -> lines.add(new String[] {"parse+compile of 100 000 rules < 300 ms", number(r.score()) + " ms",
            verdict(r.score() < 300)}));
    if (lines.isEmpty()) {
      return;
    }
    out.append("## The issues' targets\n\n");
    out.append("Speed is shim/plain for rates and plain/shim for times: at least 1 means the shim is no slower. On a")
        .append(" shared machine the ranges are wide; a verdict whose range straddles the target decides nothing.\n\n");
    MarkdownTable table = new MarkdownTable(1, List.of("target", "measured", "verdict"));
    lines.forEach(l -> table.row(List.of(l)));
    out.append(table).append('\n');
  }

  private void speedTarget(List<String[]> lines, String what, Optional<Result> shim, Optional<Result> plain,
      double target) {
    if (shim.isPresent() && plain.isPresent()) {
      Result s = shim.get();
      Result p = plain.get();
      double r = s.isTime() ? p.score() / s.score() : s.score() / p.score();
      lines.add(new String[] {what + " ≥ " + String.format(Locale.ROOT, "%.2f", target), speed(s, p),
          verdict(r >= target)});
    }
  }

  /** The median round trip: unlike the mean, one descheduled sample of many does not move it. */
  private void medianTarget(List<String[]> lines, String what, Optional<Result> shim, Optional<Result> plain,
      double target) {
    if (shim.isPresent() && plain.isPresent() && !Double.isNaN(shim.get().percentile(50))) {
      double r = plain.get().percentile(50) / shim.get().percentile(50);
      lines.add(new String[] {what + " ≥ " + String.format(Locale.ROOT, "%.2f", target), ratioNumber(r) + "x",
          verdict(r >= target)});
    }
  }

  private Optional<Result> family(String family, String method) {
    return run.results().stream().filter(r -> r.family().equals(family) && r.method().equals(method)).findFirst();
  }

  private Optional<Result> matcher(String matcher, String count) {
    return run.results().stream().filter(r -> r.family().equals("MatcherBenchmark")
        && r.param("matcher").equals(matcher) && r.param("ruleCount").equals(count)).findFirst();
  }

  private static String verdict(boolean met) {
    return met ? "MET" : "MISSED";
  }

  private void notRun() {
    if (run.skips().isEmpty()) {
      return;
    }
    out.append("## Not measured\n\n");
    out.append("These trials did not run; nothing was measured in their place.\n\n");
    // Number the reasons the tables did not cite yet, so every skip has its note.
    run.skips().forEach(this::notRunCell);
    for (int i = 0; i < reasons.size(); i++) {
      out.append('[').append(i + 1).append("] ").append(reasons.get(i)).append("\n\n");
    }
    MarkdownTable table = new MarkdownTable(3, List.of("benchmark", "params", "reason"));
    run.skips().forEach(s -> table.row(List.of(s.benchmark(), params(s.params()), notRunCell(s).replace("not run ", ""))));
    out.append(table).append('\n');
  }

  private void allScores() {
    out.append("<details><summary>Every score of this run</summary>\n\n");
    out.append(scoreTable(run.results()));
    out.append("\nCPU per op: CPU time of the benchmark threads, from `CpuTimeProfiler`. Other tenants inflate the")
        .append(" wall time, not this.\n\n</details>\n");
  }

  private static String scoreTable(List<Result> results) {
    MarkdownTable table = new MarkdownTable(2, List.of("benchmark", "params", "score", "error (99.9%)", "unit",
        "CPU per op"));
    for (Result r : results) {
      table.row(List.of(r.benchmark(), params(r.params()), number(r.score()),
          Double.isNaN(r.error()) ? "" : "± " + number(r.error()), r.unit(), cpu(r)));
    }
    return table.toString();
  }

  /** CPU time per op: in the score's unit for times, in µs for rates. */
  static String cpu(Result r) {
    if (Double.isNaN(r.cpu())) {
      return "";
    }
    return r.isTime() ? number(r.cpu()) + " " + r.unit().replace("/op", "") : number(r.cpu() * 1e6) + " µs";
  }

  private void image(String key, String alt) {
    charts.file(key).ifPresent(f -> out.append("![").append(alt).append("](").append(f).append(")\n\n"));
  }

  static String params(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return sb.toString();
  }

  /** 64 B, 1 KiB, 64 KiB, 1 MiB. */
  static String bytes(int size) {
    if (size >= 1 << 20 && size % (1 << 20) == 0) {
      return (size >> 20) + " MiB";
    }
    if (size >= 1 << 10 && size % (1 << 10) == 0) {
      return (size >> 10) + " KiB";
    }
    return size + " B";
  }

  /** Shim/plain for rates, plain/shim for times, with the iteration range. */
  static String speed(Result shim, Result plain) {
    return shim.isTime() ? ratio(plain, shim) : ratio(shim, plain);
  }

  /** {@code a / b}, and the extreme ratios any iteration of one and of the other could give. */
  static String ratio(Result a, Result b) {
    double r = a.score() / b.score();
    if (a.low() == a.high() && b.low() == b.high()) {
      return ratioNumber(r) + "x";
    }
    return ratioNumber(r) + "x [" + ratioNumber(a.low() / b.high()) + ".." + ratioNumber(a.high() / b.low()) + "]";
  }

  static String ratioNumber(double r) {
    if (Double.isNaN(r)) {
      return "NaN";
    }
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
