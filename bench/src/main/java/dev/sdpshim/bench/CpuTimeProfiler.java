package dev.sdpshim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * {@code -prof dev.sdpshim.bench.CpuTimeProfiler}: CPU time per operation, in the benchmark's time
 * unit. Unlike wall time, CPU time does not count waiting for a core, so it stays meaningful on a
 * shared machine whose other tenants take the CPUs.
 * <ul>
 *   <li>{@code cpu.bench}: the JMH worker threads only, i.e. the benchmark code itself, without the
 *       collector's and JIT's threads (and without untimed setup work they do);
 *   <li>{@code cpu.jvm}: every thread of the JVM, GC and JIT included, setup included.
 * </ul>
 */
public class CpuTimeProfiler implements InternalProfiler {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private long start;
  private long startWorkers;

  @Override
  public String getDescription() {
    return "CPU time of the whole JVM (all threads) per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    start = processCpuNanos();
    startWorkers = workerCpuNanos();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's InternalProfiler declares the raw Result type
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    long used = processCpuNanos() - start;
    long usedWorkers = workerCpuNanos() - startWorkers;
    long ops = result.getMetadata().getMeasuredOps();
    if (ops <= 0) {
      return List.of();
    }
    TimeUnit unit = benchmarkParams.getTimeUnit();
    double scale = ops * (double) unit.toNanos(1);
    String label = label(unit) + "/op";
    List<Result> out = new ArrayList<>();
    if (usedWorkers > 0) {
      out.add(new ScalarResult("cpu.bench", usedWorkers / scale, label, AggregationPolicy.AVG));
    }
    if (used > 0) {
      out.add(new ScalarResult("cpu.jvm", used / scale, label, AggregationPolicy.AVG));
    }
    return out;
  }

  /** CPU time of the JMH worker threads alive now (they live for the whole run of a benchmark). */
  private static long workerCpuNanos() {
    return threadsCpuNanos(name -> name.contains("jmh-worker"));
  }

  /**
   * CPU time of every platform thread alive now, to the nanosecond (the process CPU time the JVM
   * reports counts in 10 ms clock ticks on Linux). Virtual threads' time is their carriers'. A
   * thread that ended since the last call takes its time with it.
   */
  static long liveThreadsCpuNanos() {
    return threadsCpuNanos(name -> true);
  }

  private static long threadsCpuNanos(Predicate<String> name) {
    long sum = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null && name.test(info.getThreadName())) {
        long t = THREADS.getThreadCpuTime(info.getThreadId());
        sum += Math.max(0, t);
      }
    }
    return sum;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  private static String label(TimeUnit unit) {
    return switch (unit) {
      case NANOSECONDS -> "ns";
      case MICROSECONDS -> "us";
      case MILLISECONDS -> "ms";
      case SECONDS -> "s";
      case MINUTES -> "min";
      case HOURS -> "hr";
      case DAYS -> "day";
    };
  }
}
