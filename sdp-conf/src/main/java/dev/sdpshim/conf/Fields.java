package dev.sdpshim.conf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A line split the way the JDK splits it: {@code String.trim()} (drops every char up to U+0020 at
 * both ends, but not a BOM or a no-break space), then {@code split("\\s+")}, where {@code \s} is
 * only the six ASCII whitespace chars. Keeps each field's column so diagnostics can point at it.
 */
final class Fields {
  final String trimmed;
  /** 0-based offset of {@link #trimmed} in the raw line. */
  final int offset;
  final List<String> values = new ArrayList<>(3);
  /** 0-based offsets of each field in the raw line; an int array, as boxing showed up in profiles of large files. */
  private int[] starts = new int[3];

  private Fields(String raw) {
    int begin = 0;
    int end = raw.length();
    while (begin < end && raw.charAt(begin) <= ' ') {
      begin++;
    }
    while (end > begin && raw.charAt(end - 1) <= ' ') {
      end--;
    }
    trimmed = begin == 0 && end == raw.length() ? raw : raw.substring(begin, end);
    offset = begin;
    int i = 0;
    int n = trimmed.length();
    while (i < n) {
      int start = i;
      while (i < n && !isRegexSpace(trimmed.charAt(i))) {
        i++;
      }
      if (values.size() == starts.length) {
        starts = Arrays.copyOf(starts, starts.length * 2);
      }
      starts[values.size()] = offset + start;
      values.add(trimmed.substring(start, i));
      while (i < n && isRegexSpace(trimmed.charAt(i))) {
        i++;
      }
    }
  }

  static Fields of(String rawLine) {
    return new Fields(rawLine);
  }

  /** {@code \s} in a Java regex without UNICODE_CHARACTER_CLASS. */
  static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  boolean isBlankOrComment() {
    return trimmed.isEmpty() || trimmed.charAt(0) == '#';
  }

  int count() {
    return values.size();
  }

  String get(int i) {
    return values.get(i);
  }

  /** 1-based column of field {@code i}. */
  int column(int i) {
    return startOf(i) + 1;
  }

  /** 1-based column just past field {@code i}. */
  int endColumn(int i) {
    return startOf(i) + values.get(i).length() + 1;
  }

  private int startOf(int i) {
    if (i >= values.size()) {
      throw new IndexOutOfBoundsException("field " + i + " of " + values.size());
    }
    return starts[i];
  }
}
