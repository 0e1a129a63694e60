package dev.sdpshim.sdpcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowRulesTest {
  @TempDir Path dir;
  private FakeHost host;

  @BeforeEach
  void setUp() {
    host = new FakeHost(dir);
  }

  @Test
  void rulesAreNormalizedNamesExpandedAndPortsSpelledOut() {
    String f = host.file("sdp.conf", "# comment\n"
        + "CONNECT 192.168.10.0/24 1024-\n"
        + "connect dual.example *\n"
        + "\n"
        + "bind\t10.10.0.5\t+5000\n"
        + "connect 2001:db8:0:0:1::/80 -80\n"
        + "connect * 1-99999\n"
        + "connect 10.1.0.0/16 80-20\n"
        + "connect 10.10.3.7/24 5432\n"
        + "connect /8 5\n");
    FakeHost.Result r = host.run("show-rules", f);
    assertEquals(0, r.status(), r.err());
    assertEquals(" 2: connect 192.168.10.0/24 1024-65535\n"
        + " 3: connect 10.10.0.21 0-65535  (dual.example)\n"
        + " 3: connect fd00:10::21 0-65535  (dual.example)\n"
        + " 5: bind 10.10.0.5 5000\n"
        + " 6: connect 2001:db8:0:0:1::/80 0-80\n"
        + " 7: connect * 1-65535\n"
        + " 8: connect 10.1.0.0/16 80-20  (never matches: the port range is empty)\n"
        + " 9: connect 10.10.3.0/24 5432\n"
        + "10: connect 127.0.0.0/8 5  (/8)\n", r.out());
  }

  @Test
  void offlineNamesAreShownUnresolved() {
    FakeHost.Result r = host.run("show-rules", "--offline", host.file("sdp.conf", "connect db.example 5432\n"));
    assertEquals("1: connect db.example 5432  (not resolved: --offline; the JVM resolves it at start)\n", r.out());
  }

  @Test
  void aRefusedFileHasNoRulesToShow() {
    FakeHost.Result r = host.run("show-rules", host.file("sdp.conf", "connect 10.0.0.0/8 *\nconnect 10.0.0.1 80 # db\n"));
    assertEquals(1, r.status());
    assertEquals("", r.out());
    assertEquals("sdpcheck: sdp.conf: the JDK refuses this file (line 2: Malformed line 'connect 10.0.0.1 80 # db'), so it"
        + " converts nothing and every bind and connect of the JVM fails; run 'sdpcheck sdp.conf' for details\n", r.err());
  }

  @Test
  void emptyUnreadableStdinAndUsage() {
    FakeHost.Result empty = host.run("show-rules", host.file("sdp.conf", "# nothing\n"));
    assertEquals(0, empty.status());
    assertTrue(empty.err().contains("no rules"), empty.err());
    assertEquals(2, host.run("show-rules", "missing.conf").status());
    assertEquals("1: connect * 80\n", host.runWithStdin("connect * 80\n", "show-rules", "-").out());
    FakeHost.Result usage = host.run("show-rules", "a", "b");
    assertEquals(3, usage.status());
    assertTrue(usage.err().endsWith("Try 'sdpcheck show-rules --help'.\n"), usage.err());
  }
}
