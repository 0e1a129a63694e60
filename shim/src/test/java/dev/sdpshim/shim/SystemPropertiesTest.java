package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flags users pass on the command line, in a JVM of their own. */
class SystemPropertiesTest {
  @TempDir
  Path dir;

  /**
   * On JDK 25 the rules are named with -Dsdpshim.conf: the JDK's own SDP support reads
   * -Dcom.sun.sdp.conf too and would fail the matched sockets ("IPv6 not supported").
   */
  @Test
  void factoryInstantiatedByNameFollowsTheRulesFileAndProtocolFromTheCommandLine() throws Exception {
    Path rules = Files.writeString(dir.resolve("sdp.conf"), "connect 127.0.0.1 *\n");
    Path log = dir.resolve("sdp.log");
    String outcome = runProbe(List.of("-Dsdpshim.conf=" + rules, "-Dsdpshim.protocol=mptcp",
        "-Dcom.sun.sdp.debug=" + log));
    assertEquals("protocol 262, rule line 1 converted 1", outcome);
    List<String> lines = Files.readAllLines(log);
    assertEquals(1, lines.size(), lines::toString);
    assertTrue(Pattern.matches("CONNECT to 127\\.0\\.0\\.1:\\d+ \\(socket converted to MPTCP protocol\\)",
        lines.get(0)), lines.get(0));
  }

  /** Here the JDK reads a file whose only rule matches nothing, and the shim reads its own. */
  @Test
  void shimRulesPropertyTakesPrecedenceOverTheJdkOne() throws Exception {
    Path rules = Files.writeString(dir.resolve("sdp.conf"), "connect 127.0.0.1 *\n");
    Path jdkRules = Files.writeString(dir.resolve("jdk.conf"), "bind 192.0.2.1 *\n");
    String outcome = runProbe(List.of("-Dsdpshim.conf=" + rules, "-Dcom.sun.sdp.conf=" + jdkRules,
        "-Dsdpshim.protocol=mptcp"));
    assertEquals("protocol 262, rule line 1 converted 1", outcome);
  }

  @Test
  void emptyDebugPropertyWritesTheDecisionToStandardOutput() throws Exception {
    Path rules = Files.writeString(dir.resolve("sdp.conf"), "connect 127.0.0.1 *\n");
    runProbe(List.of("-Dsdpshim.conf=" + rules, "-Dcom.sun.sdp.debug"));
    assertTrue(Pattern.compile("^CONNECT to 127\\.0\\.0\\.1:\\d+ \\(SDP not available: EAFNOSUPPORT;"
        + " socket stays TCP\\)$", Pattern.MULTILINE).matcher(childLog()).find(), this::childLog);
  }

  @Test
  void rulesNamedWithTheJdkPropertyOnAJdkThatStillReadsItAreWarnedAbout() throws Exception {
    Path rules = Files.writeString(dir.resolve("sdp.conf"), "bind 192.0.2.1 *\n");
    String outcome = runProbe(List.of("-Dcom.sun.sdp.conf=" + rules));
    assertEquals("protocol 6, rule line 1 converted 0", outcome);
    boolean warned = childLog().contains("WARN dev.sdpshim.shim.SdpShim - This JDK ("
        + Runtime.version().feature() + ") still has its own SDP support, which also reads"
        + " -Dcom.sun.sdp.conf");
    assertEquals(Runtime.version().feature() < 26, warned, this::childLog);
  }

  @Test
  void invalidRulesFileFailsTheFactoryConstructorNotTheFirstSocket() throws Exception {
    Path rules = Files.writeString(dir.resolve("bad.conf"), "connect 127.0.0.1\n");
    String outcome = runProbe(List.of("-Dcom.sun.sdp.conf=" + rules));
    assertEquals("failed: InvalidConfigException: Invalid com.sun.sdp.conf file " + rules
        + " (1 error, 0 warnings): sdp-shim will not run it; see sdpcheck " + rules
        + " for explanations" + System.lineSeparator() + rules + ":1:1: error: ", outcome.substring(0,
            outcome.indexOf(": error: ") + ": error: ".length()));
    assertTrue(outcome.endsWith("[SDP001]"), outcome);
  }

  private String runProbe(List<String> jvmFlags) throws Exception {
    Path result = dir.resolve("outcome.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    for (String pkg : SocketDescriptors.PACKAGES) {
      command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DefaultInstanceProbe.class.getName());
    command.add(result.toString());
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile())
        .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish: " + command);
    }
    assertEquals(0, process.exitValue(), this::childLog);
    return Files.readString(result);
  }

  private String childLog() {
    try {
      return Files.readString(dir.resolve("child.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
