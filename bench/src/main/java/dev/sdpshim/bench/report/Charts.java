package dev.sdpshim.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG charts (XChart): throughput vs message size per transport, latency
 * percentiles per transport and size, connect rate per transport, matcher cost vs rule count,
 * and one bar chart per benchmark family the summary has no section for. Each is written only
 * when the run has its data; {@link Written} tells the summary which exist.
 */
final class Charts {
  static final String THROUGHPUT = "throughput";
  static final String LATENCY = "latency";
  static final String CONNECT = "connect";
  static final String MATCHER = "matcher";
  private static final int WIDTH = 960;
  private static final int HEIGHT = 560;
  /** Colour-blind-safe (Okabe-Ito), one per transport in {@link Summary#TRANSPORTS} order, then the rest. */
  private static final Color[] PALETTE = {new Color(0x000000), new Color(0x0072B2), new Color(0xE69F00),
      new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442)};

  /** The charts written, by key, as file names relative to the summary. */
  record Written(Map<String, String> files) {
    static final Written NONE = new Written(Map.of());

    Optional<String> file(String key) {
      return Optional.ofNullable(files.get(key));
    }
  }

  private final RunResults run;
  private final Path dir;
  private final Map<String, String> written = new LinkedHashMap<>();

  private Charts(RunResults run, Path dir) {
    this.run = run;
    this.dir = dir;
  }

  /** Writes every chart the run has data for into {@code dir}. */
  static Written write(RunResults run, Path dir) throws IOException {
    Charts c = new Charts(run, dir);
    Set<String> targets = new TreeSet<>();
    c.socket("").forEach(r -> targets.add(r.param("target")));
    for (String target : targets) {
      c.throughput(target);
      c.latency(target);
      c.connect(target);
    }
    c.matcher();
    c.others();
    return new Written(Map.copyOf(c.written));
  }

  private List<Result> socket(String method) {
    return run.results().stream().filter(r -> r.family().equals("SocketBenchmark")
        && (method.isEmpty() || r.method().equals(method))).toList();
  }

  /** Results grouped by transport in the summary's order, for one method and target. */
  private Map<String, List<Result>> byTransport(String method, String target) {
    Map<String, List<Result>> grouped = new TreeMap<>((a, b) -> Integer.compare(order(a), order(b)) != 0
        ? Integer.compare(order(a), order(b)) : a.compareTo(b));
    socket(method).stream().filter(r -> r.param("target").equals(target))
        .forEach(r -> grouped.computeIfAbsent(r.param("transport"), k -> new ArrayList<>()).add(r));
    return grouped;
  }

  private static int order(String transport) {
    int i = Summary.TRANSPORTS.indexOf(transport);
    return i < 0 ? Summary.TRANSPORTS.size() : i;
  }

  /**
   * A line per transport over the message sizes, evenly spaced (XChart's log x axis labels its
   * ticks linearly), on a log MB/s axis; memory copy dashed as the ceiling.
   */
  private void throughput(String target) throws IOException {
    Map<String, List<Result>> grouped = byTransport("stream", target);
    if (grouped.isEmpty()) {
      return;
    }
    List<Result> copy = run.results().stream().filter(r -> r.family().equals("MemoryCopyBenchmark")).toList();
    Set<Integer> sizes = new TreeSet<>();
    grouped.values().forEach(l -> l.forEach(r -> sizes.add(Summary.size(r.param("size")))));
    List<String> labels = sizes.stream().map(Summary::bytes).toList();
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Streaming throughput vs message size (" + target + ")")
        .xAxisTitle("message size").yAxisTitle("MB/s (log scale)").build();
    style(chart.getStyler());
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Line);
    chart.getStyler().setOverlapped(true); // every series at the size it was measured at, not side by side
    chart.getStyler().setYAxisLogarithmic(true);
    double lowest = Double.MAX_VALUE;
    int colour = 0;
    Map<String, List<Result>> series = new LinkedHashMap<>(grouped);
    if (!copy.isEmpty()) {
      series.put("memory copy (ceiling)", copy);
    }
    for (Map.Entry<String, List<Result>> e : series.entrySet()) {
      List<Double> values = new ArrayList<>();
      for (int size : sizes) {
        // A size this transport has no result for leaves a gap (null) in its line.
        Double v = e.getValue().stream().filter(r -> Summary.size(r.param("size")) == size).findFirst()
            .map(Summary::megabytesPerSecond).orElse(null);
        values.add(v);
        if (v != null) {
          lowest = Math.min(lowest, v);
        }
      }
      CategorySeries s = chart.addSeries(e.getKey(), labels, values);
      s.setMarker(SeriesMarkers.CIRCLE);
      boolean ceiling = e.getValue() == copy;
      Color c = ceiling ? Color.GRAY : PALETTE[colour++ % PALETTE.length];
      s.setLineColor(c);
      s.setMarkerColor(c);
      s.setFillColor(c);
      if (ceiling) {
        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      }
    }
    chart.getStyler().setYAxisMin(logAxisMin(lowest));
    save(chart, THROUGHPUT + "-" + target);
  }

  private static XYSeries xy(XYChart chart, String name, List<Result> results, ToDoubleFunction<Result> x,
      ToDoubleFunction<Result> y) {
    List<Result> sorted = new ArrayList<>(results);
    sorted.sort((a, b) -> Double.compare(x.applyAsDouble(a), x.applyAsDouble(b)));
    double[] xs = sorted.stream().mapToDouble(x).toArray();
    double[] ys = sorted.stream().mapToDouble(y).toArray();
    XYSeries s = chart.addSeries(name, xs, ys);
    s.setMarker(SeriesMarkers.CIRCLE);
    return s;
  }

  private void latency(String target) throws IOException {
    Map<String, List<Result>> grouped = byTransport("pingPong", target);
    Set<Integer> sizes = new TreeSet<>();
    grouped.values().forEach(l -> l.forEach(r -> sizes.add(Summary.size(r.param("size")))));
    for (int size : sizes) {
      List<String> transports = new ArrayList<>();
      Map<Double, List<Double>> byPercentile = new LinkedHashMap<>();
      for (double p : new double[] {50, 99, 99.9}) {
        byPercentile.put(p, new ArrayList<>());
      }
      grouped.forEach((transport, results) -> results.stream()
          .filter(r -> Summary.size(r.param("size")) == size && !Double.isNaN(r.percentile(50))).findFirst()
          .ifPresent(r -> {
            transports.add(transport);
            byPercentile.forEach((p, values) -> values.add(r.percentile(p)));
          }));
      if (transports.isEmpty()) {
        continue;
      }
      CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
          .title("Round-trip latency, " + Summary.bytes(size) + " messages (" + target + ")")
          .xAxisTitle("transport").yAxisTitle("µs per round trip (log scale)").build();
      style(chart.getStyler());
      chart.getStyler().setYAxisLogarithmic(true);
      chart.getStyler().setLabelsVisible(false);
      // Bars start at the axis minimum; on a log axis XChart needs it above zero, below the lowest bar.
      double lowest = byPercentile.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min().orElse(1);
      chart.getStyler().setYAxisMin(logAxisMin(lowest));
      int colour = 1;
      for (Map.Entry<Double, List<Double>> e : byPercentile.entrySet()) {
        String name = "p" + (e.getKey() == Math.floor(e.getKey()) ? Integer.toString(e.getKey().intValue()) : e.getKey());
        chart.addSeries(name, transports, e.getValue()).setFillColor(PALETTE[colour++]);
      }
      save(chart, LATENCY + "-" + target + "-" + size);
    }
  }

  private void connect(String target) throws IOException {
    Map<String, List<Result>> grouped = byTransport("connectAccept", target);
    if (grouped.isEmpty()) {
      return;
    }
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Connect + accept rate (" + target + ")").xAxisTitle("transport").yAxisTitle("connections/s").build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(false);
    List<String> names = new ArrayList<>(grouped.keySet());
    List<Double> values = grouped.values().stream().map(l -> l.get(0).score()).toList();
    chart.addSeries("connections/s", names, values).setFillColor(PALETTE[1]);
    save(chart, CONNECT + "-" + target);
  }

  private void matcher() throws IOException {
    Map<String, List<Result>> byMatcher = new TreeMap<>();
    run.results().stream().filter(r -> r.family().equals("MatcherBenchmark"))
        .forEach(r -> byMatcher.computeIfAbsent(r.param("matcher"), k -> new ArrayList<>()).add(r));
    if (byMatcher.isEmpty()) {
      return;
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Rule matching: cost of one lookup vs rule count")
        .xAxisTitle("rules in the file (log scale)").yAxisTitle("ns per lookup (log scale)").build();
    style(chart.getStyler());
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    int colour = 1;
    for (Map.Entry<String, List<Result>> e : byMatcher.entrySet()) {
      XYSeries s = xy(chart, e.getKey(), e.getValue(), r -> Summary.size(r.param("ruleCount")), Result::score);
      s.setLineColor(PALETTE[colour]);
      s.setMarkerColor(PALETTE[colour++]);
    }
    save(chart, MATCHER);
  }

  /** One bar chart per other family and unit: a bar per benchmark method and parameters. */
  private void others() throws IOException {
    Map<String, List<Result>> byFamily = new TreeMap<>();
    run.results().stream().filter(r -> !Summary.KNOWN.contains(r.family()))
        .forEach(r -> byFamily.computeIfAbsent(r.family(), k -> new ArrayList<>()).add(r));
    for (Map.Entry<String, List<Result>> e : byFamily.entrySet()) {
      // One unit per chart: the first one's; the table in the summary has every result.
      String unit = e.getValue().get(0).unit();
      List<Result> same = e.getValue().stream().filter(r -> r.unit().equals(unit)).toList();
      double min = same.stream().mapToDouble(Result::score).filter(v -> v > 0).min().orElse(1);
      double max = same.stream().mapToDouble(Result::score).max().orElse(1);
      // Scores two orders of magnitude apart would leave the small ones invisible on a linear axis.
      boolean log = max / min >= 100;
      CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(e.getKey())
          .xAxisTitle("benchmark and parameters").yAxisTitle(unit + (log ? " (log scale)" : "")).build();
      style(chart.getStyler());
      if (log) {
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(logAxisMin(min));
      }
      chart.getStyler().setLegendVisible(false);
      chart.getStyler().setXAxisLabelRotation(30);
      List<String> labels = same.stream()
          .map(r -> r.method() + (r.params().isEmpty() ? "" : " " + Summary.params(r.params()))).toList();
      chart.addSeries(unit, labels, same.stream().map(Result::score).toList()).setFillColor(PALETTE[1]);
      save(chart, e.getKey());
    }
  }

  /**
   * The bottom of a log axis for bars and lines down to {@code lowest}: XChart draws bars up from
   * the axis minimum and needs it above zero; a power of ten at least half a decade below keeps
   * the lowest bar visible.
   */
  private static double logAxisMin(double lowest) {
    return Math.pow(10, Math.floor(Math.log10(lowest / 2)));
  }

  private static void style(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
    styler.setChartTitleBoxVisible(false);
    styler.setPlotBorderColor(Color.LIGHT_GRAY);
  }

  private void save(Chart<?, ?> chart, String key) throws IOException {
    String file = key.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
    BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapFormat.PNG);
    written.put(key, file);
  }
}
