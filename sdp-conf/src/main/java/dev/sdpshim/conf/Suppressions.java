package dev.sdpshim.conf;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code # sdpcheck disable=SDP104,SDP105} comments. On the first non-blank line of the file the
 * codes are silenced for the whole file; anywhere else, for the next rule only. A diagnostic that
 * makes the JDK refuse the file is never silenced: the file would still take every socket down.
 */
final class Suppressions {
  private static final Pattern DIRECTIVE = Pattern.compile("#\\s*sdpcheck\\s+disable\\s*=\\s*(.*?)\\s*");

  private final Set<Code> fileWide = EnumSet.noneOf(Code.class);
  private final Map<Integer, Set<Code>> byLine = new HashMap<>();
  private Set<Code> pending;

  /** The codes named by a directive comment, or null when {@code comment} is no directive. */
  static List<String> directiveCodes(String comment) {
    Matcher m = DIRECTIVE.matcher(comment);
    return m.matches() ? List.of(m.group(1).split("\\s*,\\s*")) : null;
  }

  void addFileWide(Set<Code> codes) {
    fileWide.addAll(codes);
  }

  void addForNextRule(Set<Code> codes) {
    if (pending == null) {
      pending = EnumSet.noneOf(Code.class);
    }
    pending.addAll(codes);
  }

  /** Binds the pending directive, if any, to the rule on {@code line}. */
  void ruleAt(int line) {
    if (pending != null) {
      byLine.put(line, pending);
      pending = null;
    }
  }

  boolean silences(Diagnostic d) {
    if (d.jdkFatal()) {
      return false;
    }
    if (fileWide.contains(d.code())) {
      return true;
    }
    Set<Code> codes = byLine.get(d.line());
    return codes != null && codes.contains(d.code());
  }
}
