package dev.sdpshim.sdpcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.conf.Code;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** check-config: exit statuses, stdin, filters, thresholds, colour, and the informational options. */
class CheckConfigTest {
  private static final String CLEAN = "# storage network\nconnect 10.10.0.0/16 *\nbind 10.10.0.5 7000\n";
  /** One warning (SDP104) and one style finding (SDP113). */
  private static final String MIXED = "connect 10.10.0.0/16 *\nconnect 10.10.3.0/24 5432\nconnect 10.20.0.0/16 05432\n";

  @TempDir Path dir;
  private FakeHost host;

  @BeforeEach
  void setUp() {
    host = new FakeHost(dir);
  }

  @Test
  void exitZeroAndNoOutputForACleanFile() {
    FakeHost.Result r = host.run(host.file("sdp.conf", CLEAN));
    assertEquals(new FakeHost.Result(0, "", ""), r);
  }

  @Test
  void exitOneForFindingsAtTheDefaultThresholdOfWarning() {
    assertEquals(1, host.run(host.file("sdp.conf", MIXED)).status());
    assertEquals(0, host.run(host.file("style.conf", "connect 10.10.0.0/16 05432\n")).status());
  }

  @Test
  void exitTwoForAnUnreadableFileAndTheOthersAreStillChecked() {
    host.file("bad.conf", "connect 10.10.0.0/16 x\n");
    FakeHost.Result r = host.run("missing.conf", "bad.conf");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("sdpcheck: missing.conf: cannot read: no such file"), r.err());
    assertTrue(r.out().contains("bad.conf:1:22: error:"), r.out());
    assertEquals(2, host.run(".").status(), "a directory");
  }

  @Test
  void aRailsFileIsCheckedAloneOrWithTheRulesThatMustCoverItsRails() {
    String rails = host.file("rails.conf", "rail port1 10.10.0.5/24 dev ib0\n");
    assertEquals(new FakeHost.Result(0, "", ""), host.run("--rails", rails), "alone: clean, on the host's ib0");
    FakeHost.Result withRules = host.run("--rails", rails, host.file("sdp.conf", "connect 10.10.0.0/16 *\n"));
    assertEquals(1, withRules.status());
    assertTrue(withRules.out().startsWith("rails.conf:1:1: warning: rail port1 (10.10.0.5/24) binds its connections"),
        withRules.out());
    assertEquals(0, host.run("--rails", rails, host.file("bind.conf", "bind 10.10.0.0/24 *\n")).status());
    FakeHost.Result missing = host.run("--rails", "none.rails", "bind.conf");
    assertEquals(2, missing.status());
    assertTrue(missing.err().startsWith("sdpcheck: none.rails: cannot read: no such file"), missing.err());
    String bad = host.run("--rails", host.file("bad.rails", "rail a 10.10.0.5\n")).out();
    assertTrue(bad.contains("bad.rails:1:8: error: '10.10.0.5' has no prefix length"), bad);
    assertTrue(bad.contains("bad.rails: error: no usable rail"), bad);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--no-such-option", "--format=yaml", "--color=sometimes", "--severity=fatal", "--fail-on=never",
      "--include=SDP999", "--jdk=seventeen", "--jdk=6", "--max-diagnostics=0"})
  void exitThreeForBadUsage(String option) {
    FakeHost.Result r = host.run(option, host.file("sdp.conf", CLEAN));
    assertEquals(3, r.status(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("sdpcheck: "), r.err());
    assertTrue(r.err().endsWith("Try 'sdpcheck --help'.\n"), r.err());
  }

  @Test
  void exitThreeWithoutFiles() {
    FakeHost.Result r = host.run();
    assertEquals(3, r.status());
    assertTrue(r.err().contains("no FILE given"), r.err());
  }

  @Test
  void dashReadsStandardInputAndIsNamedDash() {
    FakeHost.Result r = host.runWithStdin("connect 10.10.0.0/16 http\n", "-");
    assertEquals(1, r.status());
    assertTrue(r.out().startsWith("-:1:22: error: port range 'http'"), r.out());
    assertEquals(0, host.runWithStdin(CLEAN, "check-config", "-").status());
  }

  @Test
  void severityHidesLessSeriousFindingsAndFailOnSetsTheThreshold() {
    String f = host.file("sdp.conf", MIXED);
    assertTrue(host.run(f).out().contains("[SDP113]"));
    FakeHost.Result warningsOnly = host.run("--severity", "warning", f);
    assertFalse(warningsOnly.out().contains("[SDP113]"), warningsOnly.out());
    assertTrue(warningsOnly.out().contains("[SDP104]"));
    assertEquals(0, host.run("--fail-on", "error", f).status());
    String style = host.file("style.conf", "connect 10.10.0.0/16 05432\n");
    assertEquals(1, host.run("--fail-on", "style", style).status());
    assertEquals(0, host.run("--fail-on", "info", style).status());
    assertEquals(0, host.run("-S", "error", "--fail-on", "style", style).status(), "only shown findings count");
  }

  @Test
  void includeAndExcludeTakeCommaSeparatedRepeatableLists() {
    String f = host.file("sdp.conf", MIXED);
    FakeHost.Result included = host.run("--include", "SDP113", f);
    assertTrue(included.out().contains("[SDP113]"));
    assertFalse(included.out().contains("[SDP104]"));
    assertEquals(0, included.status());
    FakeHost.Result excluded = host.run("-e", "sdp104", "--exclude=SDP113", f);
    assertEquals("", excluded.out());
    assertEquals(0, excluded.status());
    assertEquals("", host.run("--exclude", "SDP104,SDP113", f).out());
  }

  @Test
  void findingsThatMakeTheJdkRefuseTheFileCannotBeFilteredAway() {
    String f = host.file("sdp.conf", "connect 10.10.0.0/16 * # comment\n");
    FakeHost.Result r = host.run("--exclude", "SDP006", "--severity", "error", "--include", "SDP104", f);
    assertTrue(r.out().contains("[SDP006]"), r.out());
    assertEquals(1, r.status());
  }

  @Test
  void suppressionCommentsAlsoSilenceHostAndJdkFindings() {
    String f = host.file("sdp.conf", "# sdpcheck disable=SDP301\n# sdpcheck disable=SDP201\nbind 10.10.9.9 7000\n");
    assertEquals(new FakeHost.Result(0, "", ""), host.run("--jdk", "26", f));
  }

  @Test
  void jdk26AndLaterIgnoreTheFileAndTheDefaultIsTheRunningJdk() {
    String f = host.file("sdp.conf", CLEAN);
    for (String jdk : new String[] {"17", "21", "25"}) {
      assertEquals(0, host.run("--jdk", jdk, f).status(), jdk);
    }
    FakeHost.Result r = host.run("--jdk", "26", f);
    assertEquals(1, r.status());
    assertTrue(r.out().startsWith("sdp.conf: warning: JDK 26 ignores this file entirely"), r.out());
    assertTrue(r.out().contains("sdp-shim agent"), r.out());
    assertTrue(host.jdk(27).run(f).out().contains("[SDP301]"), "defaults to the environment's JDK");
  }

  @Test
  void offlineResolvesNoNames() {
    String f = host.file("sdp.conf", "connect db.example 5432\n");
    assertTrue(host.run(f).out().contains("[SDP101]"));
    FakeHost.Result offline = host.run("--offline", f);
    assertTrue(offline.out().contains("[SDP102]"), offline.out());
    assertFalse(offline.out().contains("[SDP101]"), offline.out());
  }

  @Test
  void colourFollowsTheTerminalNoColorAndTheOption() {
    String f = host.file("sdp.conf", MIXED);
    assertFalse(host.run(f).out().contains("\u001b["), "not a terminal");
    assertTrue(host.terminal(true).run(f).out().contains("\u001b[1;35mwarning:"), "a terminal");
    assertFalse(host.variable("NO_COLOR", "1").run(f).out().contains("\u001b["), "NO_COLOR");
    assertTrue(host.run("--color", "always", f).out().contains("\u001b["), "always beats NO_COLOR");
    assertFalse(host.variable("NO_COLOR", "").run("--color=never", f).out().contains("\u001b["));
    assertFalse(host.run("--format", "json", "--color", "always", f).out().contains("\u001b["), "only text is coloured");
  }

  @Test
  void listRulesPrintsEveryCodeWithSeverityTitleAndPage() {
    FakeHost.Result r = host.run("--list-rules");
    assertEquals(0, r.status());
    String[] lines = r.out().split("\n");
    assertEquals(Code.values().length, lines.length);
    for (int i = 0; i < lines.length; i++) {
      Code c = Code.values()[i];
      assertTrue(lines[i].startsWith(c.name() + "  " + c.severity().label()), lines[i]);
      assertTrue(lines[i].contains(c.title()) && lines[i].endsWith(c.docPath()), lines[i]);
    }
  }

  @Test
  void versionAndHelp() {
    FakeHost.Result v = host.run("--version");
    assertEquals(0, v.status());
    assertTrue(v.out().startsWith("sdpcheck " + Version.get() + "\nrunning on Java "), v.out());
    assertFalse(Version.get().contains("${"), "the version resource is filtered");
    for (String[] args : new String[][] {{"--help"}, {"check-config", "--help"}, {"show-rules", "--help"},
        {"match-rule", "-h"}, {"format-config", "--help"}}) {
      FakeHost.Result h = host.run(args);
      assertEquals(0, h.status(), String.join(" ", args));
      assertTrue(h.out().startsWith("usage: sdpcheck "), h.out());
      assertTrue(h.out().contains("Examples:") && h.out().contains("Exit status:"), h.out());
      for (String line : h.out().split("\n")) {
        assertTrue(line.length() <= CommandLines.WIDTH, "help line too long for the terminal: " + line);
      }
    }
  }

  @Test
  void aHugeFileKeepsALimitedNumberOfFindings() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      sb.append("connect 10.10.").append(i).append(".0/24 +80\n");
    }
    FakeHost.Result r = host.run("--max-diagnostics", "10", host.file("sdp.conf", sb.toString()));
    assertTrue(r.out().contains("sdp.conf: info: 40 more diagnostics were counted but not kept (limit 10) [SDP120]"), r.out());
  }
}
