package dev.sdpshim.sdpcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatchRuleTest {
  private static final String CONF = "# storage\n"
      + "connect 192.168.10.0/24 1024-\n"
      + "bind 10.10.0.5 5000\n"
      + "connect  10.0.0.0/8  *\n"
      + "connect db.example 5432\n"
      + "connect fd00:10::/64 80\n";

  @TempDir Path dir;
  private FakeHost host;
  private String conf;

  @BeforeEach
  void setUp() {
    host = new FakeHost(dir);
    conf = host.file("sdp.conf", CONF);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "connect | 192.168.10.7 | 5432 | line 2: connect 192.168.10.0/24 1024-",
      "CONNECT | 10.10.0.20   | 5432 | line 4: connect  10.0.0.0/8  *",
      "bind    | 10.10.0.5    | 5000 | line 3: bind 10.10.0.5 5000",
      "connect | [fd00:10::1] | 80   | line 6: connect fd00:10::/64 80"})
  void printsTheFirstMatchingRuleAndExitsZero(String action, String address, String port, String expected) {
    FakeHost.Result r = host.run("match-rule", conf, action, address, port);
    assertEquals(new FakeHost.Result(0, expected + "\n", ""), r);
  }

  @Test
  void noMatchExitsOne() {
    FakeHost.Result r = host.run("match-rule", conf, "connect", "192.168.10.7", "80");
    assertEquals(new FakeHost.Result(1, "no rule converts connect 192.168.10.7 80\n", ""), r);
    assertEquals(1, host.run("match-rule", conf, "bind", "10.10.0.5", "5001").status());
  }

  @Test
  void namesResolveLikeTheFileButNotOffline() {
    assertEquals(0, host.run("match-rule", conf, "connect", "db.example", "5432").status());
    FakeHost.Result offline = host.run("match-rule", "--offline", conf, "connect", "db.example", "5432");
    assertEquals(3, offline.status());
    assertTrue(offline.err().contains("not resolved with --offline"), offline.err());
    FakeHost.Result offlineRule = host.run("match-rule", "--offline", conf, "connect", "10.10.0.20", "5432");
    assertEquals("line 4: connect  10.0.0.0/8  *\n", offlineRule.out());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"accept | 10.0.0.1 | 80", "connect | 10.0.0.1 | 65536", "connect | 10.0.0.1 | -1",
      "connect | 10.0.0.1 | +80", "connect | nope.invalid | 80", "connect | * | 80"})
  void badProbesAreUsageErrors(String action, String address, String port) {
    FakeHost.Result r = host.run("match-rule", conf, action, address, port);
    assertEquals(3, r.status(), r.toString());
    assertTrue(r.err().endsWith("Try 'sdpcheck match-rule --help'.\n"), r.err());
  }

  @Test
  void batchAnswersEveryProbeOnItsOwnTabSeparatedLine() {
    String probes = "# probes\nconnect 192.168.10.7 5432\n\nbind 10.10.0.5 5000\nconnect 192.168.10.7 80\nCONNECT [fd00:10::9] 80\n";
    FakeHost.Result r = host.runWithStdin(probes, "match-rule", conf, "--probes", "-");
    assertEquals("connect 192.168.10.7 5432\tMATCH\t2\n"
        + "bind 10.10.0.5 5000\tMATCH\t3\n"
        + "connect 192.168.10.7 80\tNOMATCH\n"
        + "connect [fd00:10::9] 80\tMATCH\t6\n", r.out());
    assertEquals(1, r.status(), "one probe does not match");
    host.file("probes.txt", "connect 10.1.1.1 1\r\nbind 10.10.0.5 5000\r\n");
    FakeHost.Result all = host.run("match-rule", conf, "--probes", "probes.txt");
    assertEquals(new FakeHost.Result(0, "connect 10.1.1.1 1\tMATCH\t4\nbind 10.10.0.5 5000\tMATCH\t3\n", ""), all);
  }

  @Test
  void malformedProbesAreAllReportedAndNoneAnswered() {
    FakeHost.Result r = host.runWithStdin("connect 10.0.0.1 80\nconnect 10.0.0.1\nping 10.0.0.1 80\n", "match-rule", conf, "--probes", "-");
    assertEquals(3, r.status());
    assertEquals("", r.out());
    assertTrue(r.err().contains("-:2: a probe is 'bind|connect ADDRESS PORT', not 'connect 10.0.0.1'"), r.err());
    assertTrue(r.err().contains("-:3: the action must be bind or connect, not 'ping'"), r.err());
  }

  @Test
  void aRefusedFileIsReportedAndNoProbeIsAnswered() {
    String bad = host.file("bad.conf", "connect 10.0.0.0/8 *\nconnect 10.0.0.1 http\n");
    FakeHost.Result batch = host.runWithStdin("connect 10.0.0.1 80\n", "match-rule", bad, "--probes", "-");
    assertEquals(1, batch.status());
    assertEquals("", batch.out());
    assertTrue(batch.err().contains("the JDK refuses this file (line 2: Malformed port range 'http')"), batch.err());
    FakeHost.Result single = host.run("match-rule", bad, "connect", "10.0.0.1", "80");
    assertEquals(1, single.status());
    assertEquals("", single.out());
  }

  @Test
  void usageAndUnreadableFiles() {
    assertEquals(3, host.run("match-rule", conf, "connect", "10.0.0.1").status());
    assertEquals(3, host.run("match-rule", conf, "connect", "10.0.0.1", "80", "--probes", "p").status());
    assertEquals(3, host.run("match-rule", "-", "--probes", "-").status());
    assertEquals(2, host.run("match-rule", "missing.conf", "connect", "10.0.0.1", "80").status());
    assertEquals(2, host.run("match-rule", conf, "--probes", "missing.txt").status());
  }
}
