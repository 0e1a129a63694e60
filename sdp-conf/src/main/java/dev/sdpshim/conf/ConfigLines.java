package dev.sdpshim.conf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Scanner;

/**
 * The lines of a config file exactly as the JDK's provider sees them.
 *
 * <p>The JDK reads the file with a {@link Scanner} in UTF-8 and {@code nextLine()}: lines end at
 * {@code \r\n}, {@code \n}, {@code \r}, U+0085, U+2028 and U+2029. On invalid UTF-8 the Scanner
 * silently stops at a buffer boundary before the bad byte, so the JDK ignores the rest of the file
 * and may see a line cut in half. Valid files take a fast hand-written split with the same line
 * ends; only files with invalid UTF-8 go through a real Scanner so that the truncation is the JDK's.
 */
final class ConfigLines {
  /** One line without its terminator; {@code number} is 1-based. */
  record Line(int number, String text) {}

  final List<Line> lines;
  /** First line ending in CRLF, or 0. */
  final int firstCrlfLine;
  /** First line ending in a lone CR or a Unicode line terminator, or 0; with the terminator. */
  final int firstOddTerminatorLine;
  final char oddTerminator;
  /** Position of the first invalid UTF-8 byte, or null when the text is valid. */
  final SourcePosition malformedAt;
  /** Number of lines the file really has (the JDK may see fewer). */
  final int physicalLineCount;

  private ConfigLines(List<Line> lines, int firstCrlfLine, int firstOddTerminatorLine, char oddTerminator,
      SourcePosition malformedAt, int physicalLineCount) {
    this.lines = lines;
    this.firstCrlfLine = firstCrlfLine;
    this.firstOddTerminatorLine = firstOddTerminatorLine;
    this.oddTerminator = oddTerminator;
    this.malformedAt = malformedAt;
    this.physicalLineCount = physicalLineCount;
  }

  static ConfigLines of(CharSequence text) {
    return split(text);
  }

  /**
   * The lines of {@code bytes}, which were read from {@code file}; {@code file} is null for bytes
   * that came from elsewhere (standard input), where the JDK's exact cut-off cannot be reproduced.
   */
  static ConfigLines of(byte[] bytes, Path file) throws IOException {
    // Nearly every config is plain ASCII: then every byte is one char and no validation is needed,
    // and splitting a String is much cheaper than splitting a CharBuffer.
    if (isAscii(bytes)) {
      return of(new String(bytes, StandardCharsets.ISO_8859_1));
    }
    CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return of(strict.decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return ofMalformed(bytes, file);
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** Slow path: the JDK's own view through a Scanner, plus where the bad byte really is. */
  private static ConfigLines ofMalformed(byte[] bytes, Path file) throws IOException {
    CharBuffer valid = decodeValidPrefix(bytes);
    ConfigLines physical = split(valid);
    List<Line> before = physical.lines;
    int badLine;
    int badColumn;
    if (before.isEmpty()) {
      badLine = 1;
      badColumn = 1;
    } else if (endsWithTerminator(valid)) {
      badLine = before.size() + 1;
      badColumn = 1;
    } else {
      badLine = before.size();
      badColumn = before.get(before.size() - 1).text().length() + 1;
    }
    List<Line> seen = new ArrayList<>();
    // Where the Scanner stops depends on how many bytes each read of the source returns, so the
    // source must be the file itself, read as the JDK reads it, not a stream over the bytes.
    try (Scanner scanner = file != null ? new Scanner(file.toFile(), StandardCharsets.UTF_8)
        : new Scanner(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
      while (scanner.hasNextLine()) {
        seen.add(new Line(seen.size() + 1, scanner.nextLine()));
      }
    }
    SourcePosition at = new SourcePosition(badLine, badColumn, badColumn + 1, "");
    return new ConfigLines(List.copyOf(seen), physical.firstCrlfLine, physical.firstOddTerminatorLine,
        physical.oddTerminator, at, countLines(bytes));
  }

  private static CharBuffer decodeValidPrefix(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(ByteBuffer.wrap(bytes), out, true);
    // Stops at the first malformed sequence: what was decoded so far is valid text.
    assert result.isError() || result.isUnderflow();
    out.flip();
    return out;
  }

  private static boolean endsWithTerminator(CharSequence s) {
    if (s.length() == 0) {
      return false;
    }
    return isTerminator(s.charAt(s.length() - 1));
  }

  private static int countLines(byte[] bytes) {
    int lines = 0;
    boolean pending = false;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\n' || (b == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
        lines++;
        pending = false;
      } else if (b != '\r') {
        pending = true;
      }
    }
    return pending ? lines + 1 : lines;
  }

  static boolean isTerminator(char c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  private static ConfigLines split(CharSequence text) {
    List<Line> lines = new ArrayList<>();
    int crlf = 0;
    int odd = 0;
    char oddChar = 0;
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (!isTerminator(c)) {
        continue;
      }
      lines.add(new Line(lines.size() + 1, text.subSequence(start, i).toString()));
      if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i++;
        if (crlf == 0) {
          crlf = lines.size();
        }
      } else if (c != '\n' && odd == 0) {
        odd = lines.size();
        oddChar = c;
      }
      start = i + 1;
    }
    if (start < n) {
      lines.add(new Line(lines.size() + 1, text.subSequence(start, n).toString()));
    }
    return new ConfigLines(lines, crlf, odd, oddChar, null, lines.size());
  }
}
