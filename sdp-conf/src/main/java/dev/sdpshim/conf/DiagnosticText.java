package dev.sdpshim.conf;

import java.util.List;

/**
 * Diagnostics in the sdpcheck text format, the form compilers and ShellCheck use so that editors
 * and CI problem matchers can jump to the spot:
 *
 * <pre>
 * sdp.conf:3:21: error: '#' starts a comment only at the beginning of a line; ... [SDP006]
 *   connect 10.0.0.1 80 # db
 *                       ^~~~
 *   = fatal: the JDK refuses the whole file ("Malformed line 'connect 10.0.0.1 80 # db'"), so ...
 * </pre>
 *
 * <p>A finding about the whole file (line 0) has no line and column: {@code sdp.conf: warning: ...}.
 * The source line is shown with control characters made visible, so that a hostile file cannot
 * send escape sequences to the operator's terminal. Has no dependencies so that the shim and its
 * agent can print the same text. Immutable and thread-safe.
 */
public final class DiagnosticText {
  private static final DiagnosticText PLAIN = new DiagnosticText(false);
  private static final DiagnosticText COLORED = new DiagnosticText(true);

  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String CARET = "\u001b[1;32m";

  private final boolean color;

  private DiagnosticText(boolean color) {
    this.color = color;
  }

  /** Without ANSI colours: for files, pipes and exception messages. */
  public static DiagnosticText plain() {
    return PLAIN;
  }

  /** With ANSI colours, for a terminal. */
  public static DiagnosticText colored() {
    return COLORED;
  }

  public static DiagnosticText of(boolean color) {
    return color ? COLORED : PLAIN;
  }

  /** Every unsilenced diagnostic of {@code config}, labelled with its source; empty when there are none. */
  public String format(SdpConfig config) {
    return format(config.source(), config.diagnostics());
  }

  /** {@code diagnostics} of {@code file}, one block each, each ending in a newline. */
  public String format(String file, List<Diagnostic> diagnostics) {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      append(sb, file, d);
    }
    return sb.toString();
  }

  /** One diagnostic's block: the header line, then source line, caret and fatal note where they apply. */
  public String format(String file, Diagnostic d) {
    StringBuilder sb = new StringBuilder();
    append(sb, file, d);
    return sb.toString();
  }

  /**
   * The first line of a diagnostic's block without colour,
   * {@code file:line:column: severity: message [SDPnnn]}: one finding per line, e.g. in an
   * exception message.
   */
  public static String headline(String file, Diagnostic d) {
    return where(file, d.position()) + " " + d.severity().label() + ": " + d.message() + " [" + d.code() + "]";
  }

  private static String where(String file, SourcePosition p) {
    return p.line() > 0 ? file + ":" + p.line() + ":" + p.column() + ":" : file + ":";
  }

  /** Appends one diagnostic's block to {@code sb}. */
  public void append(StringBuilder sb, String file, Diagnostic d) {
    SourcePosition p = d.position();
    String where = where(file, p);
    paint(sb, BOLD, where);
    sb.append(' ');
    paint(sb, severityColor(d.severity()), d.severity().label() + ":");
    sb.append(' ').append(d.message()).append(" [").append(d.code()).append("]\n");
    if (p.line() > 0 && !p.text().isEmpty()) {
      sb.append("  ").append(visible(p.text())).append('\n');
      sb.append("  ").append(indentFor(p.text(), p.column()));
      paint(sb, CARET, underline(p));
      sb.append('\n');
    }
    if (d.jdkFatal()) {
      sb.append("  = fatal: the JDK refuses the whole file (\"").append(visible(d.jdkMessage()))
          .append("\"), so every socket of the JVM fails at its first bind or connect\n");
    }
  }

  private void paint(StringBuilder sb, String ansi, String text) {
    if (color) {
      sb.append(ansi).append(text).append(RESET);
    } else {
      sb.append(text);
    }
  }

  private static String severityColor(Severity s) {
    switch (s) {
      case ERROR:
        return "\u001b[1;31m";
      case WARNING:
        return "\u001b[1;35m";
      case INFO:
        return "\u001b[1;36m";
      default:
        return "\u001b[1;34m";
    }
  }

  /**
   * Whitespace that puts the caret under {@code column}: tabs are copied so that the terminal
   * expands them the same way in both lines, and a surrogate pair takes one place, not two.
   */
  private static String indentFor(String text, int column) {
    int upTo = Math.min(Math.max(column - 1, 0), text.length());
    StringBuilder sb = new StringBuilder(upTo);
    for (int i = 0; i < upTo; i++) {
      char c = text.charAt(i);
      if (c == '\t') {
        sb.append('\t');
      } else if (!Character.isLowSurrogate(c)) {
        sb.append(' ');
      }
    }
    return sb.toString();
  }

  /** {@code ^} under the first column, {@code ~} under the rest of the span, within the shown text. */
  private static String underline(SourcePosition p) {
    int start = Math.min(Math.max(p.column() - 1, 0), p.text().length());
    int end = Math.min(Math.max(p.endColumn() - 1, start + 1), p.text().length());
    StringBuilder sb = new StringBuilder("^");
    for (int i = start + 1; i < end; i++) {
      if (!Character.isLowSurrogate(p.text().charAt(i))) {
        sb.append('~');
      }
    }
    return sb.toString();
  }

  /** C1 controls could drive the terminal; format characters (BOM, bidi overrides) are invisible or reorder text. */
  private static boolean isHidden(char c) {
    return (c >= 0x80 && c <= 0x9F) || Character.getType(c) == Character.FORMAT;
  }

  /**
   * {@code text} with C0 controls shown as their Unicode control pictures, and C1 controls and
   * invisible format characters as U+FFFD, one column each so that the caret still lines up.
   */
  public static String visible(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char shown = c == '\t' ? c : c < 0x20 ? (char) (0x2400 + c) : c == 0x7F ? '\u2421' : isHidden(c) ? '\uFFFD' : c;
      if (shown != c && sb == null) {
        sb = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (sb != null) {
        sb.append(shown);
      }
    }
    return sb == null ? text : sb.toString();
  }
}
