package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.SdpConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of a config file, line by line, without changing what the JDK reads: rules
 * get a lower-case action, single spaces and the JDK's own reading of the ports; comments lose
 * trailing whitespace; blank lines become empty; a line the JDK refuses stays exactly as it is, so
 * that no content is ever lost. Every line keeps its number, which is what makes the diff simple.
 */
final class Canonicalizer {
  /** A line as the JDK splits the file, and the terminator that ended it ("" for an unterminated last line). */
  record SourceLine(String text, String terminator) {}

  private Canonicalizer() {}

  /** Splits like {@code Scanner.nextLine()}: at CRLF, LF, CR, U+0085, U+2028 and U+2029. */
  static List<SourceLine> split(String text) {
    List<SourceLine> lines = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c != '\n' && c != '\r' && c != '\u0085' && c != '\u2028' && c != '\u2029') {
        continue;
      }
      int end = c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
      lines.add(new SourceLine(text.substring(start, i), text.substring(i, end)));
      i = end - 1;
      start = end;
    }
    if (start < n) {
      lines.add(new SourceLine(text.substring(start), ""));
    }
    return lines;
  }

  /**
   * The canonical text of each line, one for one. {@code config} must be the parse of the same
   * text: its rules say which lines the JDK accepts as rules.
   */
  static List<String> canonicalLines(List<SourceLine> lines, SdpConfig config) {
    Map<Integer, Rule> rules = new HashMap<>();
    for (Rule rule : config.rules()) {
      rules.put(rule.position().line(), rule);
    }
    List<String> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      out.add(canonical(lines.get(i).text(), rules.get(i + 1)));
    }
    return out;
  }

  private static String canonical(String text, Rule rule) {
    if (rule != null) {
      return rule.canonicalText();
    }
    String trailingTrimmed = stripTrailing(text);
    int begin = 0;
    while (begin < trailingTrimmed.length() && trailingTrimmed.charAt(begin) <= ' ') {
      begin++;
    }
    if (begin == trailingTrimmed.length()) {
      return "";
    }
    // Not a rule: a comment keeps its indentation, a line the JDK refuses is left entirely alone.
    return trailingTrimmed.charAt(begin) == '#' ? trailingTrimmed : text;
  }

  /** Drops what the JDK's {@code trim()} drops at the end: every char up to U+0020. */
  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) <= ' ') {
      end--;
    }
    return s.substring(0, end);
  }

  /** The canonical file: each canonical line followed by {@code \n}. */
  static String join(List<String> canonical) {
    StringBuilder sb = new StringBuilder();
    for (String line : canonical) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /**
   * The change as diff chunks, one per line of the file as diff and patch see it (split at
   * {@code \n} only): a CR or Unicode line separator inside such a line splits it into several
   * canonical lines, and a CRLF line's CR belongs to its old text.
   */
  static List<UnifiedDiff.Chunk> chunks(List<SourceLine> lines, List<String> canonical) {
    List<UnifiedDiff.Chunk> chunks = new ArrayList<>();
    StringBuilder before = new StringBuilder();
    List<UnifiedDiff.Line> after = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      SourceLine line = lines.get(i);
      before.append(line.text()).append(line.terminator());
      after.add(new UnifiedDiff.Line(canonical.get(i), true));
      boolean newline = line.terminator().endsWith("\n");
      if (newline || i == lines.size() - 1) {
        String old = newline ? before.substring(0, before.length() - 1) : before.toString();
        chunks.add(new UnifiedDiff.Chunk(List.of(new UnifiedDiff.Line(old, newline)), after));
        before.setLength(0);
        after = new ArrayList<>();
      }
    }
    return chunks;
  }
}
