package dev.sdpshim.sdpcheck;

import static dev.sdpshim.sdpcheck.FakeHost.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.HostResolver;
import dev.sdpshim.conf.SdpConfigParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SDP201 and SDP202 against a faked interface list and a fake /sys/class/net. */
class HostChecksTest {
  @TempDir Path dir;
  private FakeHost host;

  @BeforeEach
  void setUp() {
    host = new FakeHost(dir);
  }

  private List<Code> codes(String text) throws IOException {
    HostChecks checks = new HostChecks(host.environment().interfaces(), host.sysfs);
    List<Diagnostic> found = checks.check(SdpConfigParser.defaults().withResolver(FakeHost.RESOLVER).parse(text, "sdp.conf"));
    return found.stream().map(Diagnostic::code).toList();
  }

  @Test
  void aBindAddressOnTheIpoibInterfaceIsFine() throws IOException {
    assertEquals(List.of(), codes("bind 10.10.0.5 7000\nbind 10.10.0.0/16 *\nbind fe80::10 7000\n"));
  }

  @Test
  void aBindAddressNoInterfaceHasIsSdp201() throws IOException {
    assertEquals(List.of(Code.SDP201, Code.SDP201), codes("bind 10.10.9.9 7000\nbind 10.99.0.0/16 *\n"));
  }

  @Test
  void aBindAddressOnEthernetOrLoopbackIsSdp202() throws IOException {
    assertEquals(List.of(Code.SDP202, Code.SDP202), codes("bind 192.0.2.1 7000\nbind 127.0.0.1 7000\n"));
  }

  @Test
  void aBlockWithAnIpoibAddressAmongOthersIsFine() throws IOException {
    host.interfaces(List.of(new LocalInterface("eth0", List.of(ip("10.10.0.1"))), new LocalInterface("ib0", List.of(ip("10.10.0.5")))));
    assertEquals(List.of(), codes("bind 10.10.0.0/24 7000\n"));
    assertEquals(List.of(Code.SDP202), codes("bind 10.10.0.1 7000\n"));
  }

  @Test
  void wildcardsConnectRulesDeadRulesAndUnresolvedNamesAreSkipped() throws IOException {
    assertEquals(List.of(), codes("bind * 7000\nbind 0.0.0.0 7000\nbind :: 7000\nbind 0.0.0.0/1 *\nconnect 10.99.0.1 80\n"
        + "bind 10.99.0.1 80-20\n"));
    HostChecks checks = new HostChecks(host.environment().interfaces(), host.sysfs);
    assertEquals(List.of(), checks.check(SdpConfigParser.defaults().withResolver(HostResolver.offline())
        .parse("bind some.host 7000\n", "x")));
  }

  @Test
  void aHostNameCountsAsLocalWhenAnyOfItsAddressesIs() throws IOException {
    host.interfaces(List.of(new LocalInterface("ib0", List.of(ip("10.10.0.21")))));
    assertEquals(List.of(), codes("bind dual.example 7000\n"));
  }

  @Test
  void ipoibChildInterfacesCountAndWithoutSysfsNothingIsSaidAboutTheLinkType() throws IOException {
    host.sysfsType("ib0.8001", "32");
    host.interfaces(List.of(new LocalInterface("ib0.8001", List.of(ip("10.10.0.5"))), new LocalInterface("veth9", List.of(ip("10.30.0.1")))));
    assertEquals(List.of(), codes("bind 10.10.0.5 7000\nbind 10.30.0.1 7000\n"), "veth9 has no sysfs entry here");
  }

  @Test
  void theInterfaceListIsReadOnceAndOnlyForBindRules() throws IOException {
    int[] calls = {0};
    HostChecks checks = new HostChecks(() -> {
      calls[0]++;
      return List.of();
    }, host.sysfs);
    SdpConfigParser parser = SdpConfigParser.defaults().withResolver(HostResolver.offline());
    checks.check(parser.parse("connect 10.1.0.0/16 *\n", "a"));
    assertEquals(0, calls[0]);
    checks.check(parser.parse("bind 10.1.0.1 1\nbind 10.1.0.2 1\n", "b"));
    checks.check(parser.parse("bind 10.1.0.3 1\n", "c"));
    assertEquals(1, calls[0]);
  }

  @Test
  void messagesNameTheInterfaceAndItsType() {
    String out = host.run(host.file("sdp.conf", "bind 192.0.2.1 7000\nbind 10.10.9.9 7000\n")).out();
    assertTrue(out.contains("sdp.conf:1:1: info: 192.0.2.1 is on eth0 (Ethernet, type 1): not an InfiniBand (IPoIB, type 32)"), out);
    assertTrue(out.contains("sdp.conf:2:1: warning: bind rule for 10.10.9.9: no interface of this host has this address"), out);
  }

  @Test
  void noHostChecksSkipsThemAndAFailingInterfaceListIsReportedOnce() {
    String f = host.file("sdp.conf", "bind 10.10.9.9 7000\n");
    assertEquals(new FakeHost.Result(0, "", ""), host.run("--no-host-checks", f));
    host.interfaces(() -> {
      throw new IOException("no netlink");
    });
    FakeHost.Result r = host.run(f, f);
    assertEquals(0, r.status());
    assertEquals("sdpcheck: host checks skipped: cannot list the network interfaces: no netlink\n", r.err());
  }
}
