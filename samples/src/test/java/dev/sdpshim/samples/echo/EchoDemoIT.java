package dev.sdpshim.samples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link EchoDemo} in a child JVM the way {@code samples/run-echo} does: the agent jar,
 * {@code samples/echo/sdp.conf} as it is committed, {@code -Dcom.sun.sdp.debug} to stdout, and a
 * class path of the samples' classes only. Loopback only; MPTCP stands in for SDP, which this
 * kernel lacks.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EchoDemoIT {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final String EXCHANGE = "sent " + EchoDemo.LINES + ", got back " + EchoDemo.LINES;
  private static final int CHILD_TIMEOUT_SECONDS = 60;

  @TempDir
  Path dir;

  private int port;

  @BeforeEach
  void freePort() throws IOException {
    port = freePortInTheRulesRange();
  }

  @Test
  void mptcpConvertsTheListenerAtItsBindAndEachClientAtItsConnect() throws Exception {
    Result run = demo(List.of("-Dsdpshim.protocol=mptcp"));
    assertEquals(0, run.status(), run::all);
    assertEchoed(run);
    List<String> decisions = decisions(run);
    assertEquals(List.of(
        "BIND to 127.0.0.1:" + port + " (socket converted to MPTCP protocol)",
        "CONNECT to 127.0.0.1:" + port + " (socket converted to MPTCP protocol)",
        "CONNECT to 127.0.0.1:" + port + " (socket converted to MPTCP protocol)"),
        decisions, run::all);
    assertFalse(run.err().contains("EAFNOSUPPORT"), run::all);
    assertFalse(run.err().contains("sdp-shim failed inside"), run::all);
  }

  @Test
  void sdpOnAKernelWithoutItFallsBackToTcpWithAWarningAndTheDemoStillWorks() throws Exception {
    Result run = demo(List.of("-Dsdpshim.protocol=sdp"));
    assumeFalse(run.out().contains("socket converted to SDP protocol"),
        "this kernel has SDP: nothing to fall back from");
    assertEquals(0, run.status(), run::all);
    assertEchoed(run);
    String fellBack = " (SDP not available: EAFNOSUPPORT; socket stays TCP)";
    assertEquals(List.of("BIND to 127.0.0.1:" + port + fellBack,
        "CONNECT to 127.0.0.1:" + port + fellBack, "CONNECT to 127.0.0.1:" + port + fellBack),
        decisions(run), run::all);
    assertTrue(run.err().lines().anyMatch(l -> l.contains("WARN") && l.contains("EAFNOSUPPORT")),
        run::all);
  }

  @Test
  void withoutTheAgentTheSameDemoRunsOnPlainTcpAndSaysNothingOfTheShim() throws Exception {
    Result run = run(List.of(JAVA, "-Dcom.sun.sdp.debug", "-cp", classes(),
        EchoDemo.class.getName(), Integer.toString(port)));
    assertEquals(0, run.status(), run::all);
    assertEchoed(run);
    assertEquals(List.of(), decisions(run), run::all);
  }

  private static void assertEchoed(Result run) {
    assertTrue(run.out().contains("client 1: " + EXCHANGE + "\n"), run::all);
    assertTrue(run.out().contains("client 2: " + EXCHANGE + "\n"), run::all);
    assertTrue(run.out().contains("echo demo: 2 clients, 6/6 lines echoed unchanged; the server"
        + " served 2 clients, 6 lines, and stopped\n"), run::all);
  }

  /** The com.sun.sdp.debug lines of stdout, in order. */
  private static List<String> decisions(Result run) {
    return run.out().lines().filter(l -> l.startsWith("BIND to ") || l.startsWith("CONNECT to "))
        .toList();
  }

  /** The command of samples/run-echo, with the committed sdp.conf. */
  private Result demo(List<String> protocol) throws Exception {
    Path agent = Path.of(property("shim.agent.jar"));
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("no agent jar at " + agent
          + "; build shim first (mvn -pl samples -am verify packages it before these tests)");
    }
    Path config = Path.of(property("samples.dir"), "echo", "sdp.conf");
    List<String> command = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED",
        "-javaagent:" + agent, "-Dcom.sun.sdp.conf=" + config));
    command.addAll(protocol);
    command.addAll(List.of("-Dcom.sun.sdp.debug", "-cp", classes(), EchoDemo.class.getName(),
        Integer.toString(port)));
    return run(command);
  }

  private static String classes() {
    return property("samples.classes");
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException("-D" + name + " is not set; run these tests with mvn verify");
    }
    return value;
  }

  /** The first port of sdp.conf's 7000-7009 that nothing on loopback listens on. */
  private static int freePortInTheRulesRange() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int candidate = EchoDemo.DEFAULT_PORT; candidate <= EchoDemo.DEFAULT_PORT + 9;
        candidate++) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(loopback, candidate));
        return candidate;
      } catch (IOException busy) {
        // try the next one
      }
    }
    throw new IOException("ports 7000-7009 on 127.0.0.1 are all in use");
  }

  private Result run(List<String> command) throws Exception {
    Path out = Files.createTempFile(dir, "child", ".out");
    Path err = Files.createTempFile(dir, "child", ".err");
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("child JVM did not finish within " + CHILD_TIMEOUT_SECONDS
          + " s: " + new Result(command, -1, Files.readString(out), Files.readString(err)).all());
    }
    return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private record Result(List<String> command, int status, String out, String err) {
    String all() {
      return "command: " + String.join(" ", command) + "\nstatus: " + status + "\nstdout:\n" + out
          + "\nstderr:\n" + err;
    }
  }
}
