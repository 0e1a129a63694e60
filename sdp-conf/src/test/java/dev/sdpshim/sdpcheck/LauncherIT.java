package dev.sdpshim.sdpcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real {@code ./sdpcheck} launcher as a subprocess, after {@code package} has built the jar
 * (failsafe runs this in integration-test). SDPCHECK_NO_BUILD=1 keeps it from ever starting a
 * nested Maven build from inside this one.
 */
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LAUNCHER = ROOT.resolve("sdpcheck");

  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  private Run run(Path cwd, Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().put("SDPCHECK_NO_BUILD", "1");
    pb.environment().putAll(env);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher timed out");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void worksFromAnyDirectoryWithPathsRelativeToIt() throws Exception {
    Path examples = ROOT.resolve("examples");
    Run clean = run(examples, Map.of(), "", "--offline", "sdp.conf");
    assertEquals(new Run(0, "", ""), clean);
    Run broken = run(examples, Map.of(), "", "--offline", "--no-host-checks", "broken.conf");
    assertEquals(1, broken.status(), broken.err());
    assertTrue(broken.out().startsWith("broken.conf:2:1: error: '#' starts a comment"), broken.out());
  }

  @Test
  void passesStdinArgumentsAndExitStatusesThrough() throws Exception {
    assertEquals(0, run(dir, Map.of(), "connect 10.1.0.0/16 *\n", "--offline", "-").status());
    Run findings = run(dir, Map.of(), "connect 10.1.0.0/16 http\n", "--offline", "--format", "json", "-");
    assertEquals(1, findings.status());
    assertTrue(findings.out().contains("\"code\": \"SDP003\""), findings.out());
    Run missing = run(dir, Map.of(), "", "no such file.conf");
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("sdpcheck: no such file.conf: cannot read"), missing.err());
    assertEquals(3, run(dir, Map.of(), "", "--bogus").status());
    Run probes = run(dir, Map.of(), "connect 192.168.100.7 5432\nconnect 10.0.0.1 1\n", "match-rule",
        ROOT.resolve("examples/sdp.conf").toString(), "--probes", "-");
    assertEquals(new Run(1, "connect 192.168.100.7 5432\tMATCH\t13\nconnect 10.0.0.1 1\tNOMATCH\n", ""), probes);
  }

  @Test
  void worksThroughASymlink() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("sdpcheck"), LAUNCHER);
    Process p = new ProcessBuilder(link.toString(), "--version").directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("sdpcheck "), out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/temurin-25-jdk-amd64"})
  void runsOnJava17And25ChosenThroughJavaHome(String javaHome) throws Exception {
    assumeTrue(Files.isExecutable(Path.of(javaHome, "bin/java")), javaHome + " is not installed");
    Run v = run(dir, Map.of("JAVA_HOME", javaHome), "", "--version");
    assertEquals(0, v.status(), v.err());
    String feature = javaHome.contains("17") ? "17." : "25.";
    assertTrue(v.out().contains("running on Java " + feature), v.out());
    Run check = run(ROOT, Map.of("JAVA_HOME", javaHome), "", "--offline", "--no-host-checks", "examples/broken.conf");
    assertEquals(1, check.status(), check.err());
  }

  @Test
  void aTooOldJavaHomeIsPassedOver() throws Exception {
    Path fake = Files.createDirectories(dir.resolve("jdk8/bin"));
    Files.writeString(dir.resolve("jdk8/release"), "JAVA_VERSION=\"1.8.0_392\"\n");
    Path java = fake.resolve("java");
    Files.writeString(java, "#!/bin/sh\nexit 99\n");
    assertTrue(java.toFile().setExecutable(true));
    Run v = run(dir, Map.of("JAVA_HOME", dir.resolve("jdk8").toString()), "", "--version");
    assertEquals(0, v.status(), v.err());
  }
}
