package dev.sdpshim.bench;

import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's ceiling for the socket benchmarks, in the same run: copying {@code size} bytes
 * from a heap array into a direct buffer, the copy the JDK makes of every array a socket writes
 * before the kernel copies it again (ops/s; the report shows MB/s beside SocketBenchmark.stream).
 * Loopback streaming cannot beat this, so a loopback figure reads as a fraction of it.
 */
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MemoryCopyBenchmark {
  /** The sizes of SocketBenchmark's messages. */
  @Param({"64", "1024", "16384", "65536", "262144", "1048576"})
  public int size;

  private byte[] source;
  private ByteBuffer target;

  @Setup(Level.Trial)
  public void setUp() {
    source = new byte[size];
    for (int i = 0; i < size; i++) {
      source[i] = (byte) i;
    }
    target = ByteBuffer.allocateDirect(size);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public ByteBuffer heapToDirect() {
    target.clear();
    return target.put(source);
  }
}
