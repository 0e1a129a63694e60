package dev.sdpshim.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link AgentOverheadBenchmark} in a JVM started with the agent and 1 000 rules that match
 * nothing on loopback. Paths are relative to the working directory, {@code bench/} under bench/run.
 */
@Fork(value = 1, jvmArgsAppend = {"-javaagent:" + AgentOverheadBenchmark.AGENT_JAR,
    "-Dcom.sun.sdp.conf=" + AgentOverheadBenchmark.AGENT_CONF, "--enable-native-access=ALL-UNNAMED"})
public class AgentOnBenchmark extends AgentOverheadBenchmark {
  @Override
  boolean agent() {
    return true;
  }
}
