package dev.sdpshim.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Side-by-side ratios that survive a shared machine: each comparison's baseline and candidate run
 * as one JMH fork each, back to back, for several rounds, alternating which goes first; the ratio
 * is taken within each round and the median over rounds is reported. Load on a shared 2-core
 * machine drifts over tens of seconds, so a plain JMH run (all forks of one benchmark, then all of
 * the other) can hand one side a quiet minute and the other a busy one; pairs seconds apart see the
 * same machine.
 *
 * <pre>
 * java -cp benchmarks.jar dev.sdpshim.bench.Paired [--rounds N] [--out FILE] [JMH options]
 *     LABEL=BASELINE,CANDIDATE ...
 * </pre>
 * BASELINE and CANDIDATE are a benchmark (regex, matched against the full name) with optional JMH
 * parameters: {@code SocketBenchmark.stream;transport=plain-tcp}. JMH options ({@code -wi -w -i -r
 * -bm -tu -jvmArgsAppend} ...) apply to every run; the fork count is always 1 per side per round.
 * Speed is candidate/baseline for throughput and baseline/candidate for time per op (for sampled
 * latencies, of the p50), so above 1 means the candidate is faster. Beside it, the same ratio of the
 * benchmark threads' CPU time per op ({@link CpuTimeProfiler}), which a busy or virtualised
 * machine (CPU steal) disturbs much less than wall time. JMH's own output is silenced unless {@code -v} is given. Run from
 * {@code bench/} after {@code bench/run} has prepared the agent benchmarks' files there.
 */
public final class Paired {

  /** One side of a comparison: a benchmark regex and its parameters. */
  record Side(String benchmark, Map<String, String> params) {
    static Side parse(String text) {
      String[] parts = text.split(";");
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 1; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("parameter '" + parts[i] + "' is not name=value in " + text);
        }
        params.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
      return new Side(parts[0], params);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(benchmark);
      params.forEach((k, v) -> s.append(';').append(k).append('=').append(v));
      return s.toString();
    }
  }

  /** LABEL=BASELINE,CANDIDATE. */
  record Comparison(String label, Side baseline, Side candidate) {
    static Comparison parse(String text) {
      int eq = text.indexOf('=');
      String[] sides = eq < 0 ? new String[0] : text.substring(eq + 1).split(",");
      if (eq <= 0 || sides.length != 2) {
        throw new IllegalArgumentException("comparison '" + text + "' is not LABEL=BASELINE,CANDIDATE");
      }
      return new Comparison(text.substring(0, eq), Side.parse(sides[0]), Side.parse(sides[1]));
    }
  }

  /**
   * One fork's primary score, and its benchmark threads' CPU time per op from
   * {@link CpuTimeProfiler} (NaN when absent).
   */
  record Score(double value, String unit, boolean higherIsBetter, double cpu) {
    Score(double value, String unit, boolean higherIsBetter) {
      this(value, unit, higherIsBetter, Double.NaN);
    }
  }

  /** Per-round speeds of one comparison, candidate relative to baseline. */
  record Speeds(Comparison comparison, List<Score> baseline, List<Score> candidate) {
    double[] perRound() {
      double[] speeds = new double[baseline.size()];
      for (int i = 0; i < speeds.length; i++) {
        Score b = baseline.get(i);
        Score c = candidate.get(i);
        speeds[i] = b.higherIsBetter() ? c.value() / b.value() : b.value() / c.value();
      }
      return speeds;
    }

    double median() {
      return Paired.median(perRound());
    }

    /** Per round, baseline CPU time per op over the candidate's: above 1, the candidate uses less. */
    double[] cpuPerRound() {
      double[] speeds = new double[baseline.size()];
      for (int i = 0; i < speeds.length; i++) {
        speeds[i] = baseline.get(i).cpu() / candidate.get(i).cpu();
      }
      return speeds;
    }
  }

  private Paired() {
  }

  public static void main(String[] args) throws IOException, RunnerException, CommandLineOptionException {
    int rounds = 6;
    Path out = null;
    List<String> jmh = new ArrayList<>();
    List<Comparison> comparisons = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          if (args[i].startsWith("-")) {
            jmh.add(args[i]);
            if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
              jmh.add(args[++i]);
            }
          } else {
            comparisons.add(Comparison.parse(args[i]));
          }
        }
      }
    }
    if (comparisons.isEmpty() || rounds < 1) {
      System.err.println("usage: Paired [--rounds N] [--out FILE] [JMH options] LABEL=BASELINE,CANDIDATE ...");
      System.exit(2);
    }
    CommandLineOptions common = new CommandLineOptions(jmh.toArray(String[]::new));
    List<Speeds> results = run(comparisons, rounds, common, System.err);
    String report = report(results, rounds, String.join(" ", args));
    System.out.print(report);
    if (out != null) {
      Files.writeString(out, report);
    }
  }

  static List<Speeds> run(List<Comparison> comparisons, int rounds, CommandLineOptions common,
      PrintStream progress) throws RunnerException {
    List<Speeds> speeds = new ArrayList<>();
    for (Comparison c : comparisons) {
      speeds.add(new Speeds(c, new ArrayList<>(), new ArrayList<>()));
    }
    for (int round = 0; round < rounds; round++) {
      for (Speeds s : speeds) {
        // Alternate the order so that a trend in the machine's load favours neither side.
        boolean baselineFirst = round % 2 == 0;
        Side first = baselineFirst ? s.comparison().baseline() : s.comparison().candidate();
        Side second = baselineFirst ? s.comparison().candidate() : s.comparison().baseline();
        Score a = fork(first, common);
        Score b = fork(second, common);
        s.baseline().add(baselineFirst ? a : b);
        s.candidate().add(baselineFirst ? b : a);
        progress.printf(Locale.ROOT, "paired: round %d/%d %s speed %.3f%n", round + 1, rounds,
            s.comparison().label(), s.perRound()[round]);
      }
    }
    return speeds;
  }

  private static Score fork(Side side, CommandLineOptions common) throws RunnerException {
    ChainedOptionsBuilder options = new OptionsBuilder().parent(common)
        .include("(^|\\.)" + side.benchmark() + "$")
        .forks(1).shouldFailOnError(true).addProfiler(CpuTimeProfiler.class);
    if (!common.verbosity().hasValue()) {
      options.verbosity(VerboseMode.SILENT); // the per-round lines say what is going on
    }
    side.params().forEach(options::param);
    Collection<RunResult> results = runWhenMachineIsFree(new Runner(options.build()));
    if (results.size() != 1) {
      throw new IllegalArgumentException(side + " selects " + results.size()
          + " benchmarks; it must select exactly one (add the method name or parameters)");
    }
    RunResult result = results.iterator().next();
    Result<?> primary = result.getPrimaryResult();
    Mode mode = result.getParams().getMode();
    // A sampled latency's median: one descheduled round trip on a busy machine moves the mean.
    double value = mode == Mode.SampleTime
        ? primary.getStatistics().getPercentile(50) : primary.getScore();
    Result<?> cpu = result.getSecondaryResults().get("cpu.bench");
    return new Score(value, primary.getScoreUnit(), mode == Mode.Throughput,
        cpu == null ? Double.NaN : cpu.getScore());
  }

  /**
   * Waits while another JMH run holds JMH's lock rather than failing: a pair whose two forks are
   * minutes apart, or that shares the machine with another benchmark, is what this class avoids.
   */
  private static Collection<RunResult> runWhenMachineIsFree(Runner runner) throws RunnerException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
    boolean said = false;
    while (true) {
      try {
        return runner.run();
      } catch (RunnerException e) {
        if (!String.valueOf(e.getMessage()).contains("JMH lock") || System.nanoTime() > deadline) {
          throw e;
        }
        if (!said) {
          System.err.println("paired: another JMH run holds the JMH lock; waiting for it to finish");
          said = true;
        }
        try {
          Thread.sleep(2000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  static String report(List<Speeds> results, int rounds, String command) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "Paired runs: %d rounds, one fork per side per round, order alternating;"
        + " speed = candidate vs baseline (throughput, time per op, or p50 of sampled time)%n", rounds));
    s.append("command: Paired ").append(command).append('\n');
    s.append(String.format(Locale.ROOT, "%n%-28s %10s %10s %10s %10s  %s%n", "comparison", "median", "min", "max",
        "cpu median", "per round (candidate speed / baseline)"));
    for (Speeds r : results) {
      double[] speeds = r.perRound();
      double[] sorted = speeds.clone();
      Arrays.sort(sorted);
      StringBuilder each = new StringBuilder();
      for (double v : speeds) {
        each.append(String.format(Locale.ROOT, " %.3f", v));
      }
      s.append(String.format(Locale.ROOT, "%-28s %9.3fx %9.3fx %9.3fx %9.3fx %s%n", r.comparison().label(), r.median(),
          sorted[0], sorted[sorted.length - 1], median(r.cpuPerRound()), each));
    }
    s.append("cpu median: the median over rounds of baseline/candidate CPU time per op of the benchmark threads\n"
        + "(CpuTimeProfiler): unlike wall time, it does not count time the machine gave to others.\n\n");
    for (Speeds r : results) {
      Score unitOf = r.baseline().get(0);
      s.append(String.format(Locale.ROOT, "%s: baseline %s median %.2f %s; candidate %s median %.2f %s%n",
          r.comparison().label(), r.comparison().baseline(), median(values(r.baseline())), unitOf.unit(),
          r.comparison().candidate(), median(values(r.candidate())), unitOf.unit()));
    }
    return s.toString();
  }

  private static double[] values(List<Score> scores) {
    return scores.stream().mapToDouble(Score::value).toArray();
  }

  static double median(double[] values) {
    return quantile(values, 0.5);
  }

  /**
   * The {@code q}-quantile of {@code values} (0 the lowest, 1 the highest), interpolated between
   * the two nearest values; for q = 0.5 the usual median.
   */
  static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = (int) Math.ceil(position);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
  }
}
