package dev.sdpshim.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders the report of one run into its results directory: {@value #SUMMARY} and the PNG charts
 * it shows. {@code bench/run} calls it after JMH;
 * {@code java -cp benchmarks.jar dev.sdpshim.bench.report.Report bench/results/<timestamp>} renders
 * a directory again.
 */
public final class Report {
  static final String SUMMARY = "summary.md";

  private Report() {
  }

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: Report RESULTS_DIR   (the directory with results.json, skipped.jsonl and env.txt)");
      System.exit(2);
    }
    // Charts are drawn off-screen, also where a display exists.
    System.setProperty("java.awt.headless", "true");
    try {
      Path summary = render(Path.of(args[0]));
      System.out.print(Files.readString(summary, StandardCharsets.UTF_8));
    } catch (IOException e) {
      System.err.println("Report: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Writes the charts and the summary into {@code dir}; returns the summary's path. */
  static Path render(Path dir) throws IOException {
    RunResults run = RunResults.read(dir);
    Charts.Written charts = Charts.write(run, dir);
    Path summary = dir.resolve(SUMMARY);
    Files.writeString(summary, new Summary(run, charts).render(), StandardCharsets.UTF_8);
    return summary;
  }
}
