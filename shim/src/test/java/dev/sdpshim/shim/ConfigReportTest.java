package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.SdpConfig;
import org.junit.jupiter.api.Test;

/** The agent's start-up findings read as sdpcheck's: location, message, code, line, caret. */
class ConfigReportTest {

  @Test
  void lineAndCaretUnderTheSpan() {
    SdpConfig config = SdpConfig.parse("bind 192.0.2.1 *\nconect 10.0.0.1 80\n", "sdp.conf");
    Diagnostic first = config.diagnostics().getFirst();
    assertEquals("sdp.conf:2:1: error: " + first.message() + " [SDP002]\n"
        + "conect 10.0.0.1 80\n"
        + "^~~~~~", ConfigReport.format("sdp.conf", first));
  }

  @Test
  void caretKeepsTheLinesTabsSoThatItLinesUp() {
    SdpConfig config = SdpConfig.parse("\tconnect 10.0.0.1 80-x\n", "sdp.conf");
    String text = ConfigReport.format("sdp.conf", config.diagnostics().getFirst());
    String[] lines = text.split("\n");
    assertEquals("\tconnect 10.0.0.1 80-x", lines[1]);
    assertEquals("\t                 ^~~~", lines[2]);
  }

  @Test
  void wholeFileFindingsHaveNoSourceLine() {
    SdpConfig config = SdpConfig.parse("# nothing\n", "sdp.conf");
    Diagnostic none = config.diagnostics().getFirst();
    assertEquals("sdp.conf:0:0: warning: " + none.message() + " [SDP108]",
        ConfigReport.format("sdp.conf", none));
  }
}
