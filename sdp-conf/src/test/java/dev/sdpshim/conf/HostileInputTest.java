package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever the bytes, parsing returns a config: no unchecked exception, diagnostics that point at
 * the right line, and memory bounded by the diagnostics limit and the excerpt length.
 */
class HostileInputTest {
  private static final long SEED = Long.getLong("sdpconf.seed", System.nanoTime());

  @TempDir Path dir;

  private SdpConfig parseBytes(byte[] bytes) {
    return Verdicts.parse(Verdicts.write(dir, bytes));
  }

  @Test
  void randomBytesNeverThrow() {
    Random random = new Random(SEED);
    for (int i = 0; i < 300; i++) {
      byte[] bytes = new byte[random.nextInt(4096)];
      random.nextBytes(bytes);
      SdpConfig config = parseBytes(bytes);
      int n = i;
      assertTrue(config.rules().size() + config.diagnostics().size() >= 0, () -> "seed " + SEED + " file " + n);
      assertFalse(config.isValid() && !config.jdkAccepts(), () -> "seed " + SEED + " file " + n);
    }
  }

  @Test
  void nulBytesInsideARuleMakeItFatalOnItsLine() {
    SdpConfig config = parseBytes("connect 10.0.0.1 80\nconnect 10.0\u0000.0.2 80\n".getBytes(StandardCharsets.UTF_8));
    Diagnostic fatal = config.diagnostics().stream().filter(Diagnostic::jdkFatal).findFirst().orElseThrow();
    assertEquals(2, fatal.line());
    assertEquals(Code.SDP005, fatal.code());
    assertTrue(fatal.message().contains("\\u0000"), fatal.message());
  }

  @Test
  void invalidUtf8IsReportedAtTheBadByte() {
    byte[] bytes = "connect 10.0.0.1 80\n# caf\u00e9\nconnect 10.0.0.2 80\n".getBytes(StandardCharsets.ISO_8859_1);
    SdpConfig config = parseBytes(bytes);
    Diagnostic bad = config.diagnostics().stream().filter(d -> d.code() == Code.SDP008).findFirst().orElseThrow();
    assertEquals(2, bad.line());
    assertEquals(6, bad.column());
    assertFalse(config.isValid());
    // The JDK's Scanner gives up on the whole (small) file: it sees no rule and silently disables SDP.
    assertTrue(config.rules().isEmpty());
    assertTrue(config.jdkAccepts());
  }

  @Test
  void aTenMegabyteLineIsOneBoundedDiagnostic() {
    char[] junk = new char[10 * 1024 * 1024];
    Arrays.fill(junk, 'x');
    String text = "connect 10.0.0.1 80\nconnect " + new String(junk) + " 80 90\nbind * 5000\n";
    SdpConfig config = parseBytes(text.getBytes(StandardCharsets.US_ASCII));
    assertEquals(2, config.rules().size());
    Diagnostic d = config.diagnostics().stream().filter(Diagnostic::jdkFatal).findFirst().orElseThrow();
    assertEquals(2, d.line());
    assertTrue(d.position().text().length() <= SourcePosition.MAX_TEXT + 1);
    assertTrue(d.jdkMessage().length() <= SourcePosition.MAX_TEXT + 1);
    assertTrue(d.message().length() < 500);
  }

  @Test
  void aMillionJunkLinesKeepTheDiagnosticsLimitAndCountTheRest() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] line = "junk\n".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 1_000_000; i++) {
      out.writeBytes(line);
    }
    SdpConfig config = parseBytes(out.toByteArray());
    assertEquals(SdpConfigParser.DEFAULT_MAX_DIAGNOSTICS + 1, config.diagnostics().size());
    assertEquals(Code.SDP120, config.diagnostics().get(config.diagnostics().size() - 1).code());
    assertEquals(1_000_000, config.count(Severity.ERROR));
    assertEquals(1_000_000 - SdpConfigParser.DEFAULT_MAX_DIAGNOSTICS, config.omittedDiagnostics());
    assertEquals("Malformed line 'junk'", config.jdkRefusal().orElseThrow());
  }

  @Test
  void aMillionRuleLinesParse() {
    StringBuilder sb = new StringBuilder(24_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      sb.append("connect 10.").append(i >>> 16).append('.').append((i >>> 8) & 0xff).append('.').append(i & 0xff).append(" 80\n");
    }
    SdpConfig config = parseBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
    assertEquals(1_000_000, config.rules().size());
    assertTrue(config.isValid(), () -> config.diagnostics().subList(0, 3).toString());
    assertTrue(config.compile().matches(Action.CONNECT, Verdicts.ip("10.15.66.63"), 80));
  }

  @Test
  void lineNumbersCountCrlfAndLoneCrAsTheJdkDoes() {
    SdpConfig config = parseBytes("connect 10.0.0.1 80\r\n\rconnect x\r\nbind * 5000\n".getBytes(StandardCharsets.US_ASCII));
    Diagnostic fatal = config.diagnostics().stream().filter(Diagnostic::jdkFatal).findFirst().orElseThrow();
    assertEquals(3, fatal.line());
    assertEquals(2, config.rules().size());
  }

  @Test
  void tabsSeparateFieldsAndColumnsPointIntoTheRawLine() {
    SdpConfig config = parseBytes("\t connect\t10.0.0.1\t+80\n".getBytes(StandardCharsets.US_ASCII));
    Diagnostic style = config.diagnostics().stream().filter(d -> d.code() == Code.SDP113).findFirst().orElseThrow();
    assertEquals(1, style.line());
    assertEquals(20, style.column());
    assertEquals(3, config.rules().get(0).position().column());
  }

  @Test
  void aBomOnTheFirstLineIsFatalEvenBeforeAComment() {
    SdpConfig config = parseBytes("\uFEFF# comment\nconnect 10.0.0.1 80\n".getBytes(StandardCharsets.UTF_8));
    Diagnostic d = config.diagnostics().get(0);
    assertEquals(Code.SDP007, d.code());
    assertEquals(1, d.line());
    assertEquals("Malformed line '\uFEFF# comment'", config.jdkRefusal().orElseThrow());
  }
}
