package dev.sdpshim.shim;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.SourcePosition;

/**
 * Diagnostics as sdpcheck prints them, so that what the agent says at start-up reads the same
 * as the linter: {@code file:line:column: severity: message [SDPnnn]}, then the line as written
 * and a caret under the span. Line 0 (the whole file) has no source line.
 */
final class ConfigReport {
  private ConfigReport() {
  }

  static String format(String source, Diagnostic diagnostic) {
    // Diagnostic.toString() is "line:column: severity: message [code]".
    StringBuilder out = new StringBuilder(source).append(':').append(diagnostic);
    SourcePosition at = diagnostic.position();
    if (at.line() > 0 && !at.text().isEmpty()) {
      out.append('\n').append(at.text()).append('\n').append(caret(at));
    }
    return out.toString();
  }

  /** Spaces (tabs where the line has tabs, so that it lines up) to the column, then ^~~~. */
  private static String caret(SourcePosition at) {
    StringBuilder caret = new StringBuilder();
    String text = at.text();
    for (int i = 0; i < at.column() - 1; i++) {
      caret.append(i < text.length() && text.charAt(i) == '\t' ? '\t' : ' ');
    }
    caret.append('^');
    for (int i = at.column() + 1; i < at.endColumn(); i++) {
      caret.append('~');
    }
    return caret.toString();
  }
}
