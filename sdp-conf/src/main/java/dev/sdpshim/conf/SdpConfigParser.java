package dev.sdpshim.conf;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code com.sun.sdp.conf} text into an {@link SdpConfig}. Parsing never throws for
 * content, whatever the bytes: every problem becomes a {@link Diagnostic}. Only I/O failures are
 * exceptions, with the path in the message. Instances are immutable and thread-safe.
 */
public final class SdpConfigParser {
  /** Default limit on kept diagnostics; a hostile million-line file must not need gigabytes. */
  public static final int DEFAULT_MAX_DIAGNOSTICS = 10_000;

  private static final SdpConfigParser DEFAULTS = new SdpConfigParser(HostResolver.system(), DEFAULT_MAX_DIAGNOSTICS);

  private final HostResolver resolver;
  private final int maxDiagnostics;

  private SdpConfigParser(HostResolver resolver, int maxDiagnostics) {
    this.resolver = resolver;
    this.maxDiagnostics = maxDiagnostics;
  }

  /** The JDK's behaviour: host names resolved through the system resolver. */
  public static SdpConfigParser defaults() {
    return DEFAULTS;
  }

  /** A parser that resolves addresses with {@code resolver}, e.g. {@link HostResolver#offline()}. */
  public SdpConfigParser withResolver(HostResolver resolver) {
    return new SdpConfigParser(resolver, maxDiagnostics);
  }

  /** A parser that keeps at most {@code max} diagnostics and counts the rest. */
  public SdpConfigParser withMaxDiagnostics(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive: " + max);
    }
    return new SdpConfigParser(resolver, max);
  }

  public SdpConfig parse(Path file) throws IOException {
    return parse(file, file.toString());
  }

  /**
   * Parses {@code file} but names it {@code source} in diagnostics, e.g. the path as the user
   * typed it rather than as the process resolved it.
   */
  public SdpConfig parse(Path file, String source) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException("Error reading " + source + ": " + describe(e), e);
    }
    ConfigLines lines;
    try {
      lines = ConfigLines.of(bytes, file);
    } catch (IOException e) {
      throw new IOException("Error reading " + source + ": " + describe(e), e);
    }
    Run run = new Run(source);
    run.parse(lines);
    checkPermissions(file).ifPresent(run::add);
    return run.finish();
  }

  /**
   * Parses raw bytes (standard input, say) exactly as the JDK would read them from a file,
   * including its handling of invalid UTF-8; there is no file, so no permission check.
   */
  public SdpConfig parse(byte[] bytes, String source) {
    Run run = new Run(source);
    try {
      run.parse(ConfigLines.of(bytes, null));
    } catch (IOException e) {
      throw new UncheckedIOException("reading bytes in memory cannot fail", e);
    }
    return run.finish();
  }

  public SdpConfig parse(Reader reader, String source) throws IOException {
    StringWriter text = new StringWriter();
    try {
      reader.transferTo(text);
    } catch (IOException e) {
      throw new IOException("Error reading " + source + ": " + describe(e), e);
    }
    return parse(text.toString(), source);
  }

  public SdpConfig parse(String text, String source) {
    Run run = new Run(source);
    run.parse(ConfigLines.of(text));
    return run.finish();
  }

  static final Comparator<Diagnostic> IN_LINE_ORDER = Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column);

  /** The SDP120 entry that stands last in the list for the findings beyond the limit. */
  static Diagnostic omittedNote(int omitted, int maxDiagnostics) {
    return new Diagnostic(Code.SDP120, SourcePosition.wholeFile(), omitted + " more diagnostics were counted but not kept (limit "
        + maxDiagnostics + ")", false, "");
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Group or others may rewrite the file and so redirect every socket of the JVM. */
  private static Optional<Diagnostic> checkPermissions(Path file) {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return Optional.empty();
    }
    Set<PosixFilePermission> perms;
    try {
      perms = view.readAttributes().permissions();
    } catch (IOException e) {
      return Optional.empty();
    }
    boolean group = perms.contains(PosixFilePermission.GROUP_WRITE);
    boolean others = perms.contains(PosixFilePermission.OTHERS_WRITE);
    if (!group && !others) {
      return Optional.empty();
    }
    String who = group && others ? "group and others" : group ? "its group" : "others";
    return Optional.of(new Diagnostic(Code.SDP112, SourcePosition.wholeFile(),
        "the file is writable by " + who + ", who could redirect every socket of the JVM; chmod go-w", false, ""));
  }

  /** The state of one parse. */
  private final class Run {
    private final String source;
    private final List<Rule> rules = new ArrayList<>();
    private final List<Diagnostic> kept = new ArrayList<>();
    private final List<Diagnostic> suppressed = new ArrayList<>();
    private final Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    private final Suppressions suppressions = new Suppressions();
    private final RuleLineParser lineParser = new RuleLineParser(resolver);
    private int omitted;
    private String jdkRefusal;

    Run(String source) {
      this.source = source;
    }

    void parse(ConfigLines lines) {
      boolean seenContent = false;
      for (ConfigLines.Line line : lines.lines) {
        Fields fields = Fields.of(line.text());
        if (fields.trimmed.isEmpty()) {
          continue;
        }
        if (fields.isBlankOrComment()) {
          directive(line, fields, !seenContent);
          seenContent = true;
          continue;
        }
        seenContent = true;
        suppressions.ruleAt(line.number());
        RuleLineParser.Result result = lineParser.parse(rules.size(), line, fields, line.number() == 1);
        if (result.rule() != null) {
          rules.add(result.rule());
        }
        for (Diagnostic d : result.diagnostics()) {
          add(withLine(d, line.text()));
        }
      }
      OverlapAnalysis.run(rules, this::add);
      fileChecks(lines);
    }

    private void directive(ConfigLines.Line line, Fields fields, boolean fileWide) {
      List<String> names = Suppressions.directiveCodes(fields.trimmed);
      if (names == null) {
        return;
      }
      Set<Code> codes = EnumSet.noneOf(Code.class);
      for (String name : names) {
        Optional<Code> code = Code.parse(name.strip());
        if (code.isPresent()) {
          codes.add(code.get());
        } else {
          add(new Diagnostic(Code.SDP119, new SourcePosition(line.number(), fields.column(0), fields.offset + fields.trimmed.length() + 1,
              SourcePosition.excerpt(line.text())), "'" + RuleLineParser.show(name) + "' is not an sdpcheck code; see sdpcheck --list-rules",
              false, ""));
        }
      }
      if (fileWide) {
        suppressions.addFileWide(codes);
      } else {
        suppressions.addForNextRule(codes);
      }
    }

    private void fileChecks(ConfigLines lines) {
      if (lines.malformedAt != null) {
        SourcePosition at = lines.malformedAt;
        add(new Diagnostic(Code.SDP008, at, "invalid UTF-8 at line " + at.line() + ", column " + at.column()
            + ": the JDK's reader silently stops near here and reads only " + lines.lines.size() + " of the file's "
            + lines.physicalLineCount + " lines; save the file as UTF-8 (or ASCII)", false, ""));
      }
      if (lines.firstCrlfLine > 0) {
        add(new Diagnostic(Code.SDP109, new SourcePosition(lines.firstCrlfLine, 1, 1, ""),
            "CRLF line ends (first on line " + lines.firstCrlfLine + "); the JDK accepts them, but Unix tools will show stray '\\r'",
            false, ""));
      }
      if (lines.firstOddTerminatorLine > 0) {
        add(new Diagnostic(Code.SDP110, new SourcePosition(lines.firstOddTerminatorLine, 1, 1, ""),
            "line " + lines.firstOddTerminatorLine + " ends with " + RuleLineParser.codePointName(lines.oddTerminator)
                + ", which the JDK treats as a line break although most editors and grep do not", false, ""));
      }
      if (rules.isEmpty() && jdkRefusal == null) {
        add(new Diagnostic(Code.SDP108, SourcePosition.wholeFile(),
            "the file has no rules: the JDK silently disables SDP and the shim converts nothing", false, ""));
      }
    }

    private Diagnostic withLine(Diagnostic d, String text) {
      SourcePosition p = d.position();
      return new Diagnostic(d.code(), new SourcePosition(p.line(), p.column(), p.endColumn(), SourcePosition.excerpt(text)),
          d.message(), d.jdkFatal(), d.jdkMessage());
    }

    void add(Diagnostic d) {
      if (d.jdkFatal() && jdkRefusal == null) {
        jdkRefusal = d.jdkMessage();
      }
      if (suppressions.silences(d)) {
        if (suppressed.size() < maxDiagnostics) {
          suppressed.add(d);
        }
        return;
      }
      counts.merge(d.severity(), 1, Integer::sum);
      if (kept.size() < maxDiagnostics) {
        kept.add(d);
      } else {
        omitted++;
      }
    }

    SdpConfig finish() {
      kept.sort(IN_LINE_ORDER);
      if (omitted > 0) {
        kept.add(omittedNote(omitted, maxDiagnostics));
      }
      return new SdpConfig(source, rules, kept, suppressed, counts, omitted, jdkRefusal, suppressions, maxDiagnostics);
    }
  }
}
