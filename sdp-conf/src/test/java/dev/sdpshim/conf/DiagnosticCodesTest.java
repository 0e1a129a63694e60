package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each code the library emits, on the smallest file that shows it, with its line and fatality. */
class DiagnosticCodesTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "SDP001 | connect 10.0.0.1\\n | 1 | true",
      "SDP002 | accept 10.0.0.1 80\\n | 1 | true",
      "SDP003 | connect 10.0.0.1 http\\n | 1 | true",
      "SDP004 | connect 10.0.0.0/40 *\\n | 1 | true",
      "SDP005 | connect 10.0.0.256 *\\n | 1 | true",
      "SDP006 | # ok\\nconnect 10.0.0.1 80 # db\\n | 2 | true",
      "SDP007 | \\uFEFFconnect 10.0.0.1 80\\n | 1 | true",
      "SDP009 | bind 10.0.0.0/0 *\\n | 1 | true",
      "SDP010 | connect 10.0.0.1 65536\\n | 1 | false",
      "SDP011 | connect 10.0.0.1 90-80\\n | 1 | false",
      "SDP012 | connect\\u00a010.0.0.1 80\\n | 1 | true",
      "SDP103 | connect 10.0.0.1 80\\nCONNECT 10.0.0.1 80\\n | 2 | false",
      "SDP104 | connect 10.0.0.0/8 *\\nconnect 10.1.2.3 80\\n | 2 | false",
      "SDP105 | connect 127.0.0.0/8 5000\\n | 1 | false",
      "SDP106 | connect * *\\n | 1 | false",
      "SDP107 | connect fd00::/8 *\\n | 1 | false",
      "SDP108 | # nothing\\n | 0 | false",
      "SDP109 | connect 10.0.0.1 80\\r\\n | 1 | false",
      "SDP110 | connect 10.0.0.1 80\\rconnect 10.0.0.2 80 | 1 | false",
      "SDP111 | # caf\\u00e9\\nconnect 10.0.0.1 8\\u00b0\\n | 2 | true",
      "SDP113 | connect 10.0.0.1 080\\n | 1 | false",
      "SDP114 | connect ::ffff:10.0.0.1 *\\n | 1 | false",
      "SDP115 | connect 10.0.0.1/8 *\\n | 1 | false",
      "SDP117 | connect /8 *\\n | 1 | false",
      "SDP118 | connect 10.0.0.1 1024-70000\\n | 1 | false",
      "SDP119 | # ok\\n# sdpcheck disable=SDP999\\nconnect 10.0.0.1 80\\n | 2 | false",
  })
  void codeIsReportedOnItsLine(Code code, String escaped, int line, boolean configRefused) {
    SdpConfig config = Verdicts.parseAndCompare(dir, unescape(escaped));
    Diagnostic d = config.diagnostics().stream().filter(x -> x.code() == code).findFirst()
        .orElseThrow(() -> new AssertionError(code + " not in " + config.diagnostics()));
    assertEquals(line, d.line());
    assertEquals(configRefused, !config.jdkAccepts());
    assertFalse(d.message().isBlank());
  }

  @Test
  void hostNamesAreReportedWithTheirAddressesAndOfflineParsingLeavesThemUnresolved() {
    HostResolver fake = new JdkQuirksTest.FakeResolver(Map.of("ib0.example", List.of(Verdicts.ip("192.0.2.1"))));
    SdpConfig resolved = SdpConfigParser.defaults().withResolver(fake).parse("connect ib0.example 80\nconnect ib0.example/24 80\n", "x");
    assertTrue(resolved.diagnostics().get(0).message().contains("192.0.2.1"));
    assertEquals(Code.SDP101, resolved.diagnostics().get(0).code());
    assertEquals(Code.SDP116, resolved.diagnostics().get(1).code());

    SdpConfig offline = SdpConfigParser.defaults().withResolver(HostResolver.offline()).parse("connect ib0.example 80\n", "x");
    assertEquals(Code.SDP102, offline.diagnostics().get(0).code());
    assertFalse(offline.rules().get(0).address().isResolved());
    assertFalse(offline.compile().matches(Action.CONNECT, Verdicts.ip("192.0.2.1"), 80));
  }

  @Test
  void invalidUtf8IsAnErrorOnTheShimsSide() throws IOException {
    Path file = Verdicts.write(dir, new byte[] {'#', ' ', (byte) 0xff, '\n'});
    SdpConfig config = SdpConfig.parse(file);
    assertTrue(Verdicts.hasCode(config, Code.SDP008));
    assertFalse(config.isValid());
  }

  @Test
  void groupOrWorldWritableFilesAreReported() throws IOException {
    Path file = Verdicts.write(dir, "connect 10.0.0.1 80\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertTrue(Verdicts.hasCode(SdpConfig.parse(file), Code.SDP112));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertFalse(Verdicts.hasCode(SdpConfig.parse(file), Code.SDP112));
  }

  @Test
  void suppressionSilencesTheNextRuleOrTheWholeFileButNeverAFatalLine() {
    String text = """
        # sdpcheck disable=SDP113
        connect 10.0.0.1 080
        # sdpcheck disable=SDP105
        connect 127.0.0.1 5000
        connect 127.0.0.2 5000
        # sdpcheck disable=SDP001
        connect oops
        """;
    SdpConfig config = SdpConfig.parse(text, "x");
    assertFalse(Verdicts.hasCode(config, Code.SDP113));
    assertEquals(List.of(5), config.diagnostics().stream().filter(d -> d.code() == Code.SDP105).map(Diagnostic::line).toList());
    assertTrue(Verdicts.hasCode(config, Code.SDP001));
    assertEquals(2, config.suppressed().size());
  }

  @Test
  void suppressionListsMayHaveSpacesAfterCommas() {
    SdpConfig config = SdpConfig.parse("# sdpcheck disable=SDP113, SDP105\nconnect 127.0.0.1 080\n", "x");
    assertFalse(Verdicts.hasCode(config, Code.SDP113));
    assertFalse(Verdicts.hasCode(config, Code.SDP105));
    assertFalse(Verdicts.hasCode(config, Code.SDP119));
  }

  @Test
  void aBomIsNamedAsTheCauseAndShownEscaped() {
    SdpConfig config = SdpConfig.parse("\uFEFFconnect 10.0.0.1 80\n", "x");
    Diagnostic d = config.diagnostics().get(0);
    assertEquals(Code.SDP007, d.code());
    assertTrue(d.message().contains("byte order mark"), d.message());
    assertEquals(1, config.diagnostics().size(), "no second finding for the same character");
  }

  @Test
  void nonAsciiDigitsInAnAddressAreNamedOnTheFatalLine() {
    SdpConfig config = SdpConfig.parse("connect \uff11\uff19\uff12.168.100.0/24 *\n", "x");
    assertEquals(Code.SDP005, config.diagnostics().get(0).code());
    assertTrue(Verdicts.hasCode(config, Code.SDP111));
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 'u' -> {
          sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> sb.append(n);
      }
    }
    return sb.toString();
  }
}
