package dev.sdpshim.conf;

import static dev.sdpshim.conf.Verdicts.hasCode;
import static dev.sdpshim.conf.Verdicts.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per quirk listed in the design facts; each also asks the JDK itself where it can. */
class JdkQuirksTest {
  @TempDir Path dir;

  private SdpConfig parse(String text) {
    return Verdicts.parseAndCompare(dir, text);
  }

  private static boolean connects(SdpConfig c, String address, int port) {
    return c.compile().matches(Action.CONNECT, ip(address), port);
  }

  @Test
  void linesAreTrimmedOfControlCharactersButNotOfABom() {
    SdpConfig trimmed = parse("\u0001 \t connect 10.0.0.1 80 \u0000\u001f\n");
    assertTrue(trimmed.jdkAccepts());
    assertTrue(connects(trimmed, "10.0.0.1", 80));

    SdpConfig bom = parse("\uFEFFconnect 10.0.0.1 80\n");
    assertFalse(bom.jdkAccepts());
    assertEquals("Action '\uFEFFconnect' not recognized", bom.jdkRefusal().orElseThrow());
    assertEquals(Code.SDP007, bom.diagnostics().get(0).code());
  }

  @Test
  void onlyWholeLineCommentsAreComments() {
    SdpConfig comments = parse("# a comment\n   # indented comment\n\nconnect 10.0.0.1 80\n");
    assertEquals(1, comments.rules().size());

    SdpConfig trailing = parse("connect 10.0.0.1 80 # db\n");
    assertEquals("Malformed line 'connect 10.0.0.1 80 # db'", trailing.jdkRefusal().orElseThrow());
    Diagnostic d = trailing.diagnostics().get(0);
    assertEquals(Code.SDP006, d.code());
    assertTrue(d.jdkFatal());
  }

  @Test
  void aRuleHasExactlyThreeFields() {
    assertEquals("Malformed line 'connect 10.0.0.1'", parse("connect 10.0.0.1\n").jdkRefusal().orElseThrow());
    assertEquals("Malformed line 'connect 10.0.0.1 80 90'", parse("connect 10.0.0.1 80 90\n").jdkRefusal().orElseThrow());
    assertEquals(Code.SDP001, parse("bind\n").diagnostics().get(0).code());
  }

  @Test
  void fieldsSplitOnAsciiWhitespaceOnly() {
    SdpConfig tabs = parse("connect\t10.0.0.1\u000b\f80\n");
    assertTrue(tabs.jdkAccepts());
    SdpConfig nbsp = parse("connect\u00a010.0.0.1 80\n");
    assertEquals("Malformed line 'connect\u00a010.0.0.1 80'", nbsp.jdkRefusal().orElseThrow());
    assertEquals(Code.SDP012, nbsp.diagnostics().get(0).code());
  }

  @Test
  void actionIsCaseInsensitiveAndUnknownActionsAreFatal() {
    SdpConfig mixed = parse("CoNnEcT 10.0.0.1 80\nBIND * 5000\n");
    assertEquals(List.of(Action.CONNECT, Action.BIND), mixed.rules().stream().map(Rule::action).toList());
    assertEquals("Action 'accept' not recognized", parse("accept 10.0.0.1 80\n").jdkRefusal().orElseThrow());
  }

  @Test
  void portRangesHaveOpenSidesAndStarMeansAll() {
    assertEquals(PortRange.ALL, parse("connect 10.0.0.1 *\n").rules().get(0).ports());
    assertEquals(new PortRange(1024, 65535), parse("connect 10.0.0.1 1024-\n").rules().get(0).ports());
    assertEquals(new PortRange(1024, 65535), parse("connect 10.0.0.1 1024-*\n").rules().get(0).ports());
    assertEquals(new PortRange(0, 80), parse("connect 10.0.0.1 -80\n").rules().get(0).ports());
    assertEquals(new PortRange(0, 80), parse("connect 10.0.0.1 *-80\n").rules().get(0).ports());
    assertEquals(PortRange.ALL, parse("connect 10.0.0.1 -\n").rules().get(0).ports());
    assertEquals("Malformed port range '5-3-2'", parse("connect 10.0.0.1 5-3-2\n").jdkRefusal().orElseThrow());
    assertEquals("Malformed port range '**'", parse("connect 10.0.0.1 **\n").jdkRefusal().orElseThrow());
    assertEquals("Malformed port range '99999999999'", parse("connect 10.0.0.1 99999999999\n").jdkRefusal().orElseThrow());
  }

  @Test
  void portsAreParsedWithIntegerParseIntSoPlusSignsAndNonAsciiDigitsPass() {
    SdpConfig plus = parse("connect 10.0.0.1 +80\n");
    assertTrue(connects(plus, "10.0.0.1", 80));
    assertTrue(hasCode(plus, Code.SDP113));

    SdpConfig arabic = parse("connect 10.0.0.1 \u0668\u0660\n");
    assertTrue(connects(arabic, "10.0.0.1", 80));
    assertTrue(hasCode(arabic, Code.SDP111));
  }

  @Test
  void portsAreNotBoundsCheckedAndReversedRangesNeverMatch() {
    SdpConfig high = parse("connect 10.0.0.1 70000\n");
    assertTrue(high.jdkAccepts());
    assertTrue(hasCode(high, Code.SDP010));
    assertFalse(high.isValid());

    SdpConfig reversed = parse("connect 10.0.0.1 80-20\n");
    assertTrue(reversed.jdkAccepts());
    assertTrue(hasCode(reversed, Code.SDP011));
    for (int port = 0; port <= 100; port++) {
      assertFalse(connects(reversed, "10.0.0.1", port), "port " + port);
    }
    assertTrue(parse("connect 10.0.0.1 --5\n").rules().get(0).ports().neverMatches());
  }

  @Test
  void starAddressMatchesBothFamilies() {
    SdpConfig c = parse("connect * 80\n");
    assertTrue(connects(c, "10.1.2.3", 80));
    assertTrue(connects(c, "2001:db8::1", 80));
    assertFalse(connects(c, "10.1.2.3", 81));
  }

  @Test
  void hostNamesExpandToEveryAddressTheyResolveTo() throws IOException {
    HostResolver fake = new FakeResolver(Map.of("db.example", List.of(ip("192.0.2.10"), ip("2001:db8::10"))));
    SdpConfig c = SdpConfigParser.defaults().withResolver(fake).parse(Verdicts.write(dir, "connect db.example 5432\n"));
    Rule rule = c.rules().get(0);
    assertEquals(AddressSpec.Kind.HOSTNAME, rule.address().kind());
    assertEquals(2, rule.address().blocks().size());
    assertTrue(connects(c, "192.0.2.10", 5432));
    assertTrue(connects(c, "2001:db8::10", 5432));
    assertFalse(connects(c, "192.0.2.11", 5432));
    assertTrue(hasCode(c, Code.SDP101));
  }

  @Test
  void unknownHostsAreFatal() {
    SdpConfig c = parse("connect no-such-host.invalid 80\n");
    assertEquals("Unknown host or malformed IP address 'no-such-host.invalid'", c.jdkRefusal().orElseThrow());
    assertEquals(Code.SDP005, c.diagnostics().get(0).code());
    assertEquals("Unknown host or malformed IP address '10.0.0.300/8'", parse("connect 10.0.0.300/8 *\n").jdkRefusal().orElseThrow());
  }

  @Test
  void prefixZeroIsRefusedAlthoughMeaningful() {
    SdpConfig c = parse("connect 10.0.0.0/0 *\n");
    assertEquals("Malformed prefix '10.0.0.0/0'", c.jdkRefusal().orElseThrow());
    assertEquals(Code.SDP009, c.diagnostics().get(0).code());
  }

  @Test
  void prefixesAreBoundedByFamilyAndParsedWithParseInt() {
    assertEquals("Malformed prefix '10.0.0.0/33'", parse("connect 10.0.0.0/33 *\n").jdkRefusal().orElseThrow());
    assertEquals("Malformed prefix '10.0.0.0/'", parse("connect 10.0.0.0/ *\n").jdkRefusal().orElseThrow());
    assertEquals("Malformed prefix '::/129'", parse("connect ::/129 *\n").jdkRefusal().orElseThrow());
    assertTrue(connects(parse("connect 10.0.0.0/+8 *\n"), "10.255.0.1", 1));
    assertTrue(connects(parse("connect 2001:db8::/32 *\n"), "2001:db8:ffff::1", 1));
    SdpConfig hostBits = parse("connect 192.168.0.77/24 *\n");
    assertTrue(connects(hostBits, "192.168.0.1", 1));
    assertTrue(hasCode(hostBits, Code.SDP115));
  }

  @Test
  void rulesOnlyMatchAddressesOfTheirOwnLength() throws UnknownHostException {
    SdpConfig v4 = parse("connect 0.0.0.0/1 *\nconnect 128.0.0.0/1 *\n");
    assertTrue(connects(v4, "1.2.3.4", 80));
    assertFalse(connects(v4, "::1", 80));
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};
    InetAddress mappedV6 = Inet6Address.getByAddress(null, mapped, -1);
    assertNull(v4.compile().firstMatch(Action.CONNECT, mappedV6, 80));

    SdpConfig v6 = parse("connect ::/1 *\nconnect 8000::/1 *\n");
    assertFalse(connects(v6, "1.2.3.4", 80));
    assertTrue(connects(v6, "::1", 80));
  }

  @Test
  void ipv4MappedLiteralsBecomeIpv4Rules() {
    SdpConfig c = parse("connect ::ffff:10.0.0.1 *\n");
    assertTrue(connects(c, "10.0.0.1", 80));
    assertTrue(hasCode(c, Code.SDP114));
  }

  @Test
  void emptyAddressBeforePrefixMeansLoopback() {
    SdpConfig c = parse("connect /8 *\n");
    assertTrue(c.jdkAccepts());
    assertTrue(connects(c, "127.0.0.1", 80));
    assertTrue(hasCode(c, Code.SDP117));
  }

  @Test
  void aMissingFileIsAnIoErrorNamingThePath() {
    Path missing = dir.resolve("nope.conf");
    IOException e = assertThrows(IOException.class, () -> SdpConfig.parse(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    if (JdkProvider.available()) {
      assertTrue(JdkProvider.refusal(missing).startsWith("Error reading " + missing), "the JDK refuses a missing file too");
    }
  }

  @Test
  void aFileWithNoRulesDisablesSdp() {
    SdpConfig c = parse("# nothing here\n\n");
    assertTrue(c.jdkAccepts());
    assertTrue(c.rules().isEmpty());
    assertTrue(hasCode(c, Code.SDP108));
  }

  @Test
  void anyMatchingRuleConvertsAndTheFirstIsNamed() {
    SdpConfig c = parse("connect 10.0.0.0/8 *\nconnect 10.0.0.1 80\n");
    Rule first = c.compile().firstMatch(Action.CONNECT, ip("10.0.0.1"), 80);
    assertEquals(1, first.position().line());
    SdpConfig reversedOrder = parse("connect 10.0.0.1 80\nconnect 10.0.0.0/8 *\n");
    assertEquals(1, reversedOrder.compile().firstMatch(Action.CONNECT, ip("10.0.0.1"), 80).position().line());
    assertTrue(connects(reversedOrder, "10.9.9.9", 1));
  }

  @Test
  void lineEndsAreThoseOfScannerNextLine() {
    SdpConfig c = parse("connect 10.0.0.1 1\r\nconnect 10.0.0.1 2\rconnect 10.0.0.1 3\u0085connect 10.0.0.1 4\u2028connect 10.0.0.1 5\u2029connect 10.0.0.1 6");
    assertEquals(6, c.rules().size());
    assertTrue(hasCode(c, Code.SDP109));
    assertTrue(hasCode(c, Code.SDP110));
  }

  @Test
  void theFirstFatalLineIsTheJdksMessageAndEveryFatalLineIsReported() {
    SdpConfig c = parse("connect 10.0.0.1 80\nconnect x y z w\nbind 10.0.0.1 http\n");
    assertEquals("Malformed line 'connect x y z w'", c.jdkRefusal().orElseThrow());
    assertEquals(List.of(2, 3), c.diagnostics().stream().filter(Diagnostic::jdkFatal).map(Diagnostic::line).toList());
  }

  /** Resolves the names it is given and parses literals like the JDK; never touches DNS. */
  record FakeResolver(Map<String, List<InetAddress>> names) implements HostResolver {
    @Override
    public List<InetAddress> resolveAll(String host) throws UnknownHostException {
      List<InetAddress> found = names.get(host);
      if (found != null) {
        return found;
      }
      if (HostResolver.OfflineResolver.isLiteral(host)) {
        return HostResolver.system().resolveAll(host);
      }
      throw new UnknownHostException(host);
    }

    @Override
    public InetAddress resolveFirst(String host) throws UnknownHostException {
      return resolveAll(host).get(0);
    }
  }
}
