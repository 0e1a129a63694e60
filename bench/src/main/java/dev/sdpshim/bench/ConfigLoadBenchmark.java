package dev.sdpshim.bench;

import dev.sdpshim.conf.RuleMatcher;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.SdpConfigParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Loading a generated site file of {@code ruleCount} rules from disk, as a JVM does once at start:
 * <ul>
 *   <li>{@code shimLoad}: read, parse and lint with sdp-conf, then compile the matcher (the issue's
 *       "parse+compile", target &lt; 300 ms at 100 000 rules);
 *   <li>{@code shimParse} and {@code shimCompile}: the two halves of it;
 *   <li>{@code jdkLoad}: the JDK's own {@code sun.net.sdp.SdpProvider} reading the same file
 *       (JDK 17–25 only; its matching needs a real socket conversion, so only loading is timed).
 *       On JDK 26+ its setup fails with a message saying why; {@code bench/run} excludes it there.
 * </ul>
 * Each invocation starts on a freshly collected heap (untimed {@code System.gc()}), as a JVM's one
 * load at start does, and the trial setup runs the operation {@value #PRE_WARM_LOADS} times before
 * JMH's own warmup; run with {@code -prof dev.sdpshim.bench.CpuTimeProfiler} to see the CPU time
 * too, which a shared machine's other tenants do not inflate.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--add-opens", "java.base/sun.net.sdp=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ConfigLoadBenchmark {

  @Param({"100000"})
  public int ruleCount;

  private Path file;
  private SdpConfigParser parser;
  private SdpConfig parsed;

  /** Untimed runs of the measured operation before JMH's warmup: a quick profile's 1 s is ~4 loads. */
  static final int PRE_WARM_LOADS = 8;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws IOException {
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    if (method.equals("jdkLoad") && !JdkSdpProvider.available()) {
      // Fails this benchmark up front, with the reason, where the JDK has no provider.
      throw new UnsupportedOperationException("SKIPPED: " + JdkSdpProvider.unavailableReason());
    }
    file = Files.createTempFile("sdp-bench-", ".conf");
    Files.writeString(file, RuleSetGenerator.generate(ruleCount).text(), StandardCharsets.UTF_8);
    parser = RuleSetGenerator.offlineParser();
    parsed = parser.parse(file);
    if (parsed.rules().size() != ruleCount || !parsed.jdkAccepts()) {
      throw new IllegalStateException("generated file is not " + ruleCount + " valid rules: " + parsed);
    }
    // A load takes ~0.2 s, so a short warmup leaves it half compiled and G1's young generation
    // unadapted; only this benchmark's own operation runs, so the JIT sees no other caller.
    for (int i = 0; i < PRE_WARM_LOADS; i++) {
      Object result = switch (method) {
        case "shimLoad" -> shimLoad();
        case "shimParse" -> shimParse();
        case "shimCompile" -> shimCompile();
        case "jdkLoad" -> jdkLoad();
        default -> throw new IllegalStateException("no warm-up for " + method);
      };
      if (result == null) {
        throw new IllegalStateException(method + " returned null");
      }
    }
  }

  /**
   * Each load starts on a collected heap, as the one load at JVM start does: without this, every
   * load would also pay for collecting the garbage of the loads before it, a debt that only a
   * benchmark loop runs up. The young collections a load causes itself are still timed.
   */
  @Setup(Level.Invocation)
  public void collectGarbage() {
    System.gc();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
  }

  @Benchmark
  public RuleMatcher shimLoad() throws IOException {
    return parser.parse(file).compile();
  }

  @Benchmark
  public SdpConfig shimParse() throws IOException {
    return parser.parse(file);
  }

  @Benchmark
  public RuleMatcher shimCompile() {
    return RuleMatcher.compile(parsed.rules());
  }

  @Benchmark
  public Object jdkLoad() {
    return JdkSdpProvider.load(file);
  }
}
