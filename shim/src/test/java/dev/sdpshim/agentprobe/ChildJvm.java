package dev.sdpshim.agentprobe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link AgentProbe} (or any command) in a child JVM on the JDK running the tests. */
final class ChildJvm {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private ChildJvm() {
  }

  /** The agent jar built by this module's package phase (set by failsafe). */
  static Path agentJar() {
    String jar = System.getProperty("shim.agent.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("no agent jar at -Dshim.agent.jar=" + jar
          + "; run the agent tests with mvn verify");
    }
    return Path.of(jar);
  }

  /** The directory holding AgentProbe: the child's whole class path, no shim API. */
  static String probeClassPath() {
    try {
      return Path.of(AgentProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** java --enable-native-access=ALL-UNNAMED [jvmFlags] -cp probe AgentProbe [args]. */
  static Result probe(Path dir, List<String> jvmFlags, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED"));
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", probeClassPath(), AgentProbe.class.getName()));
    command.addAll(Arrays.asList(args));
    return run(dir, command, 120);
  }

  static Result run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
    Path out = Files.createTempFile(dir, "child", ".out");
    Path err = Files.createTempFile(dir, "child", ".err");
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("child JVM did not finish within " + timeoutSeconds + " s: "
          + command + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n"
          + Files.readString(err));
    }
    return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
  }

  record Result(List<String> command, int status, String out, String err) {
    /** The rest of the line after "RESULT label ", or null. */
    String result(String label) {
      for (String line : out.lines().toList()) {
        if (line.startsWith("RESULT " + label + " ")) {
          return line.substring(("RESULT " + label + " ").length());
        }
      }
      return null;
    }

    String all() {
      return "command: " + String.join(" ", command) + "\nstatus: " + status + "\nstdout:\n" + out
          + "\nstderr:\n" + err;
    }
  }

  static Path writeConfig(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    // sdp-conf warns (SDP112) about files others can write; keep the test output quiet.
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(
        "rw-r--r--"));
    return file;
  }
}
