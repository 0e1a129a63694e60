package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.DiagnosticText;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Set;

/**
 * The default format: each finding as {@code file:line:column: severity: message [SDPnnn]} with the
 * source line and a caret (see {@link DiagnosticText}), then, as ShellCheck does, where to read
 * more about each code that appeared.
 */
final class TextReport implements Report {
  private final DiagnosticText text;

  TextReport(boolean color) {
    this.text = DiagnosticText.of(color);
  }

  @Override
  public void write(CheckResult result, PrintStream out) {
    Set<Code> seen = EnumSet.noneOf(Code.class);
    StringBuilder sb = new StringBuilder();
    for (CheckedFile file : result.files()) {
      for (Diagnostic d : file.shown()) {
        text.append(sb, file.name(), d);
        seen.add(d.code());
      }
      out.append(sb);
      sb.setLength(0);
    }
    if (!seen.isEmpty()) {
      sb.append("\nFor more information:\n");
      for (Code code : seen) {
        sb.append("  ").append(code).append(' ').append(code.docPath()).append(": ").append(code.title()).append('\n');
      }
      out.append(sb);
    }
  }
}
