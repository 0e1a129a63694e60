package dev.sdpshim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JGroups over the shim against JGroups with its own default socket factory: a
 * {@link LoopbackCluster} of {@code members} on 127.0.0.1 with the full sdp-shim stack, differing
 * only in the transport's socket factory ({@code factory}: {@code jgroups}, JGroups'
 * {@code DefaultSocketFactory}; {@code shim}, {@code ClusterSocketFactory} over a shim with 1 000
 * rules that match none of the cluster's sockets). Benchmarks: {@code multicast} sends 1 KiB
 * messages to all from the first member and counts a message when every other member has it
 * (messages/s); {@code roundTrip} sends 64 bytes to the second member, which answers (us per
 * round trip). The absolute numbers; the ratios (issue target: shim/jgroups &gt;= 0.98) come from
 * {@code Interleaved cluster-rtt|cluster-throughput}, which alternates the two clusters second by
 * second in one JVM.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1) // no rule matches: no FFM call, no descriptor read, so no JVM flags
public class ClusterBenchmark {
  private static final int BATCH = 1000;

  @Param({"jgroups", "shim"})
  String factory;

  @Param({"2", "4"})
  int members;

  private LoopbackCluster cluster;

  @Setup(Level.Trial)
  public void start() throws Exception {
    cluster = LoopbackCluster.start(LoopbackCluster.Factory.of(factory), members);
  }

  @TearDown(Level.Trial)
  public void stop() {
    cluster.close();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void multicast() throws Exception {
    cluster.multicast(BATCH);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void roundTrip() throws Exception {
    cluster.roundTrip();
  }
}
