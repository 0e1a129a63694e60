package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two ways to let SocketDescriptors in, and the advice when neither was taken. */
class AccessRoutesTest {
  @TempDir
  Path dir;

  @Test
  void withoutOpensTheFailureNamesEveryFlagToAdd() throws Exception {
    String outcome = runProbe(List.of());
    assertTrue(outcome.startsWith("failed: sdp-shim cannot reach socket descriptors"), outcome);
    assertTrue(outcome.contains("--add-opens java.base/java.io=ALL-UNNAMED "
        + "--add-opens java.base/java.net=ALL-UNNAMED "
        + "--add-opens java.base/sun.nio.ch=ALL-UNNAMED"), outcome);
  }

  @Test
  void agentGrantingAccessThroughInstrumentationMakesDescriptorsReachable() throws Exception {
    String outcome = runProbe(List.of("-javaagent:" + agentJar()));
    assertTrue(outcome.matches("fd \\d+ protocol 6"), outcome);
  }

  @Test
  void commandLineOpensMakeDescriptorsReachable() throws Exception {
    String outcome = runProbe(List.of("--add-opens", "java.base/java.io=ALL-UNNAMED",
        "--add-opens", "java.base/java.net=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"));
    assertTrue(outcome.matches("fd \\d+ protocol 6"), outcome);
  }

  /** Manifest only: the agent class itself comes from the test class path. */
  private Path agentJar() throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", AccessProbe.class.getName());
    Path jar = dir.resolve("agent.jar");
    new JarOutputStream(Files.newOutputStream(jar), manifest).close();
    return jar;
  }

  private String runProbe(List<String> jvmFlags) throws Exception {
    Path result = dir.resolve("outcome.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(AccessProbe.class.getName());
    command.add(result.toString());
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile())
        .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish: " + command);
    }
    assertEquals(0, process.exitValue(), () -> "child JVM failed: " + readLog());
    return Files.readString(result);
  }

  private String readLog() {
    try {
      return Files.readString(dir.resolve("child.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
