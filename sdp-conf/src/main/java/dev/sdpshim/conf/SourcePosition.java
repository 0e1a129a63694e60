package dev.sdpshim.conf;

/**
 * A span of one line of a config file. Columns count UTF-16 chars from 1, in the line as it is in
 * the file (before the JDK's trimming), so an editor can jump to them.
 *
 * @param line 1-based line number
 * @param column first column of the span, 1-based
 * @param endColumn column just past the span
 * @param text the whole line as it is in the file, without its terminator (very long lines are shortened)
 */
public record SourcePosition(int line, int column, int endColumn, String text) {
  /** Longest line text kept; hostile input must not make every diagnostic carry megabytes. */
  static final int MAX_TEXT = 400;

  static String excerpt(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "\u2026";
  }

  /** A position for the whole file rather than a line (line 0). */
  static SourcePosition wholeFile() {
    return new SourcePosition(0, 0, 0, "");
  }
}
