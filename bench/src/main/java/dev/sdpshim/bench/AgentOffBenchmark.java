package dev.sdpshim.bench;

import org.openjdk.jmh.annotations.Fork;

/** {@link AgentOverheadBenchmark} in a JVM without the agent (the baseline). */
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class AgentOffBenchmark extends AgentOverheadBenchmark {
  @Override
  boolean agent() {
    return false;
  }
}
