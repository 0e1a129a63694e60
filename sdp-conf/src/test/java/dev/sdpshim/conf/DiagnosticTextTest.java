package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticTextTest {
  private static SdpConfig parse(String text) {
    return SdpConfigParser.defaults().withResolver(HostResolver.offline()).parse(text, "sdp.conf");
  }

  @Test
  void fatalLineHasHeaderSourceCaretAndNote() {
    String out = DiagnosticText.plain().format(parse("connect 10.0.0.1 80 # db\n"));
    assertEquals("sdp.conf:1:1: error: '#' starts a comment only at the beginning of a line; this line has 5 fields,"
        + " a rule needs exactly 3 (action, address, ports) [SDP006]\n"
        + "  connect 10.0.0.1 80 # db\n"
        + "  ^~~~~~~~~~~~~~~~~~~~~~~~\n"
        + "  = fatal: the JDK refuses the whole file (\"Malformed line 'connect 10.0.0.1 80 # db'\"),"
        + " so every socket of the JVM fails at its first bind or connect\n", out);
  }

  @Test
  void headlineIsTheFirstLineWithoutColourAndWholeFileFindingsHaveNoPosition() {
    SdpConfig config = parse("connect 10.0.0.1 80 # db\n");
    Diagnostic d = config.diagnostics().get(0);
    String block = DiagnosticText.colored().format("sdp.conf", d);
    assertEquals(DiagnosticText.plain().format("sdp.conf", d).lines().findFirst().orElseThrow(),
        DiagnosticText.headline("sdp.conf", d));
    assertTrue(block.contains("\u001b["), "the block is coloured, the headline not");
    Diagnostic empty = parse("# nothing\n").diagnostics().get(0);
    assertEquals("sdp.conf: warning: " + empty.message() + " [SDP108]", DiagnosticText.headline("sdp.conf", empty));
  }

  @Test
  void caretFollowsTabsAndPointsAtTheField() {
    String out = DiagnosticText.plain().format(parse("\tconnect\t10.0.0.1 80-20\n"));
    assertTrue(out.contains("\n  \tconnect\t10.0.0.1 80-20\n  \t       \t         ^~~~~\n"), out);
  }

  @Test
  void wholeFileFindingsHaveNoPositionAndControlCharactersAreShownSafely() {
    assertEquals("sdp.conf: warning: the file has no rules: the JDK silently disables SDP and the shim converts nothing [SDP108]\n",
        DiagnosticText.plain().format(parse("# nothing\n")));
    String out = DiagnosticText.plain().format(parse("connect 10.0.0.1 80\u001b[2J\n"));
    assertTrue(out.contains("  connect 10.0.0.1 80\u241b[2J\n"), out);
    assertTrue(!out.contains("\u001b"), out);
  }

  @Test
  void colourWrapsPositionSeverityAndCaret() {
    String out = DiagnosticText.colored().format(parse("connect 10.0.0.1 80-20\n"));
    assertTrue(out.startsWith("\u001b[1msdp.conf:1:18:\u001b[0m \u001b[1;31merror:\u001b[0m port range"), out);
    assertTrue(out.contains("\u001b[1;32m^~~~~\u001b[0m"), out);
  }

  @Test
  void extraDiagnosticsAreSortedSuppressedCountedAndLimited() {
    SdpConfig c = parse("# sdpcheck disable=SDP301\nconnect 10.0.0.1 80\n# sdpcheck disable=SDP201\nbind 10.0.0.2 80\nbind 10.0.0.3 80\n");
    Diagnostic fileWide = new Diagnostic(Code.SDP301, new SourcePosition(0, 0, 0, ""), "jdk", false, "");
    Diagnostic line4 = new Diagnostic(Code.SDP201, c.rules().get(1).position(), "x", false, "");
    Diagnostic line5 = new Diagnostic(Code.SDP201, c.rules().get(2).position(), "y", false, "");
    SdpConfig more = c.withDiagnostics(List.of(line5, fileWide, line4));
    assertEquals(List.of(line5), more.diagnostics());
    assertEquals(2, more.suppressed().size());
    assertEquals(1, more.count(Severity.WARNING));

    SdpConfig limited = SdpConfigParser.defaults().withResolver(HostResolver.offline()).withMaxDiagnostics(1)
        .parse("bind 10.0.0.2 80\nbind 10.0.0.3 80\n", "x").withDiagnostics(List.of(line4, line5));
    assertEquals(2, limited.diagnostics().size());
    assertEquals(Code.SDP120, limited.diagnostics().get(1).code());
    assertEquals(1, limited.omittedDiagnostics());
  }
}
