package dev.sdpshim.sdpcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sdpshim.conf.HostResolver;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.SdpConfigParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** format-config: the canonical form keeps meaning and content; --diff is a patch git and patch accept. */
class FormatConfigTest {
  private static final String MESSY = "# Storage network   \n"
      + "   # indented comment\t\n"
      + "CONNECT   192.168.10.0/24\t1024-  \n"
      + "  \t \n"
      + "Bind 10.10.0.5 +5000\n"
      + "connect 10.20.0.0/16 -\n"
      + "connect 10.30.0.0/16 \uff15\uff14\uff13\uff12\n"
      + "connect 10.40.0.0/16 80 # refused, kept as is  \n"
      + "connect 10.50.0.0/16 -80";

  @TempDir Path dir;
  private FakeHost host;

  @BeforeEach
  void setUp() {
    host = new FakeHost(dir);
  }

  @Test
  void canonicalFormLowercasesSpacesAndSpellsPortsButKeepsCommentsAndRefusedLines() {
    FakeHost.Result r = host.run("format-config", host.file("sdp.conf", MESSY));
    assertEquals(0, r.status(), r.err());
    assertEquals("# Storage network\n"
        + "   # indented comment\n"
        + "connect 192.168.10.0/24 1024-65535\n"
        + "\n"
        + "bind 10.10.0.5 5000\n"
        + "connect 10.20.0.0/16 *\n"
        + "connect 10.30.0.0/16 5432\n"
        + "connect 10.40.0.0/16 80 # refused, kept as is  \n"
        + "connect 10.50.0.0/16 0-80\n", r.out());
  }

  @Test
  void diffIsAUnifiedDiffWithThreeLinesOfContext() {
    StringBuilder sb = new StringBuilder("CONNECT 10.1.0.0/16 *\n");
    for (int i = 2; i <= 12; i++) {
      sb.append("# line ").append(i).append('\n');
    }
    sb.append("connect 10.2.0.0/16 1-\n# last");
    FakeHost.Result r = host.run("format-config", "--diff", host.file("./conf//sdp.conf", sb.toString()));
    assertEquals(1, r.status(), r.err());
    assertEquals("--- a/conf/sdp.conf\n+++ b/conf/sdp.conf\n"
        + "@@ -1,4 +1,4 @@\n-CONNECT 10.1.0.0/16 *\n+connect 10.1.0.0/16 *\n # line 2\n # line 3\n # line 4\n"
        + "@@ -10,5 +10,5 @@\n # line 10\n # line 11\n # line 12\n-connect 10.2.0.0/16 1-\n-# last\n"
        + "\\ No newline at end of file\n+connect 10.2.0.0/16 1-65535\n+# last\n", r.out());
  }

  @Test
  void aCanonicalFileHasNoDiffAndFormattingIsIdempotent() {
    String once = host.run("format-config", host.file("sdp.conf", MESSY)).out();
    host.file("canonical.conf", once);
    assertEquals(new FakeHost.Result(0, "", ""), host.run("format-config", "--diff", "canonical.conf"));
    assertEquals(once, host.run("format-config", "canonical.conf").out());
  }

  @ParameterizedTest
  @MethodSource("files")
  void formattingNeverChangesWhatTheJdkReads(String text) {
    String canonical = host.run("format-config", host.file("sdp.conf", text)).out();
    SdpConfigParser parser = SdpConfigParser.defaults().withResolver(HostResolver.offline());
    SdpConfig before = parser.parse(text, "before");
    SdpConfig after = parser.parse(canonical, "after");
    assertEquals(before.jdkRefusal(), after.jdkRefusal());
    assertEquals(summary(before.rules()), summary(after.rules()));
  }

  private static List<String> summary(List<Rule> rules) {
    return rules.stream().map(r -> r.position().line() + " " + r.action() + " " + r.address().normalized() + " " + r.ports()).toList();
  }

  static Stream<String> files() {
    return Stream.of(MESSY,
        "connect 10.1.0.0/16 *\r\nBIND 10.10.0.5 80\r\n# crlf\r\n",
        "connect 10.1.0.0/16 *\rCONNECT 10.2.0.0/16 1-\rconnect 10.3.0.0/16 2\n",
        "CONNECT 10.1.0.0/16 *\u2028connect  10.2.0.0/16 5\u0085# x \u2029bind 10.10.0.5 1",
        "\uFEFFCONNECT 10.1.0.0/16 *\nCONNECT 10.2.0.0/16 *\n",
        "",
        "\n\n\n",
        "connect 10.1.0.0/16 *",
        "connect\u00a010.1.0.0/16 *\nCONNECT  10.2.0.0/16  *\n");
  }

  @ParameterizedTest
  @MethodSource("files")
  void gitApplyAndPatchAcceptTheDiffAndProduceTheCanonicalForm(String text) throws Exception {
    assumeTrue(hasTool("git") || hasTool("patch"), "neither git nor patch is installed");
    String canonical = host.run("format-config", host.file("sdp.conf", text)).out();
    FakeHost.Result diff = host.run("format-config", "--diff", "sdp.conf");
    assertEquals(canonical.equals(text) ? 0 : 1, diff.status());
    Path patch = dir.resolve("fix.patch");
    Files.writeString(patch, diff.out());
    if (hasTool("git") && !diff.out().isEmpty()) {
      Path work = Files.createDirectories(dir.resolve("git"));
      Files.writeString(work.resolve("sdp.conf"), text);
      assertEquals(0, exec(work, "git", "apply", "--check", patch.toString()), "git apply --check");
      assertEquals(0, exec(work, "git", "apply", "--whitespace=nowarn", patch.toString()), "git apply");
      assertArrayEquals(canonical.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(work.resolve("sdp.conf")));
    }
    if (hasTool("patch") && !diff.out().isEmpty()) {
      Path work = Files.createDirectories(dir.resolve("patch"));
      Files.writeString(work.resolve("sdp.conf"), text);
      assertEquals(0, exec(work, "patch", "-p1", "--dry-run", "-i", patch.toString()), "patch --dry-run");
      assertEquals(0, exec(work, "patch", "-p1", "-s", "-i", patch.toString()), "patch");
      assertArrayEquals(canonical.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(work.resolve("sdp.conf")));
    }
  }

  @Test
  void aLargeFileWithScatteredChangesStillAppliesCleanly() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sb.append(i % 97 == 0 || i % 101 == 1 ? "CONNECT " : "connect ").append("10.").append(i / 250).append('.').append(i % 250)
          .append(".0/24 ").append(i % 13 == 0 ? "1024-" : "*").append('\n');
    }
    gitApplyAndPatchAcceptTheDiffAndProduceTheCanonicalForm(sb.toString());
  }

  @Test
  void invalidUtf8IsNotFormattedAndErrorsAreReported() {
    host.file("latin1.conf", "# caf\u00e9\nconnect 10.1.0.0/16 *\n".getBytes(StandardCharsets.ISO_8859_1));
    FakeHost.Result r = host.run("format-config", "latin1.conf");
    assertEquals(1, r.status());
    assertEquals("", r.out());
    assertTrue(r.err().contains("not valid UTF-8"), r.err());
    assertEquals(2, host.run("format-config", "missing.conf").status());
    assertEquals(3, host.run("format-config").status());
    assertEquals("connect * 80\n", host.runWithStdin("CONNECT * 80", "format-config", "-").out());
  }

  private static boolean hasTool(String tool) {
    try {
      return exec(Path.of("."), tool, "--version") == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static int exec(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    if (p.exitValue() != 0 && !command[command.length - 1].equals("--version")) {
      System.err.println(String.join(" ", command) + ":\n" + output);
    }
    return p.exitValue();
  }
}
