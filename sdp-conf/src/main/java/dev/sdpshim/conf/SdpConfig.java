package dev.sdpshim.conf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code com.sun.sdp.conf} file: its rules in file order and everything found wrong with
 * it. Immutable and thread-safe. Obtain one from {@link SdpConfigParser}, or {@link #parse(Path)}.
 */
public final class SdpConfig {
  private final String source;
  private final List<Rule> rules;
  private final List<Diagnostic> diagnostics;
  private final List<Diagnostic> suppressed;
  private final Map<Severity, Integer> counts;
  private final int omitted;
  private final String jdkRefusal;
  /** The file's suppression comments; no longer changed once parsing is done. */
  private final Suppressions suppressions;
  private final int maxDiagnostics;

  SdpConfig(String source, List<Rule> rules, List<Diagnostic> diagnostics, List<Diagnostic> suppressed,
      Map<Severity, Integer> counts, int omitted, String jdkRefusal, Suppressions suppressions, int maxDiagnostics) {
    this.source = source;
    this.rules = List.copyOf(rules);
    this.diagnostics = List.copyOf(diagnostics);
    this.suppressed = List.copyOf(suppressed);
    this.counts = new EnumMap<>(counts);
    this.omitted = omitted;
    this.jdkRefusal = jdkRefusal;
    this.suppressions = suppressions;
    this.maxDiagnostics = maxDiagnostics;
  }

  /** Parses a file with the system resolver (the JDK's behaviour). */
  public static SdpConfig parse(Path file) throws IOException {
    return SdpConfigParser.defaults().parse(file);
  }

  /** Parses text with the system resolver; {@code source} names it in diagnostics. */
  public static SdpConfig parse(String text, String source) {
    return SdpConfigParser.defaults().parse(text, source);
  }

  /** The file name or other label given when parsing. */
  public String source() {
    return source;
  }

  /** The rules in file order; a host name counts as one rule however many addresses it has. */
  public List<Rule> rules() {
    return rules;
  }

  /** Findings in line order, without those silenced by {@code # sdpcheck disable=} comments. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Findings silenced by suppression comments. */
  public List<Diagnostic> suppressed() {
    return suppressed;
  }

  /** Findings beyond the parser's limit that are counted but not kept (hostile or huge input). */
  public int omittedDiagnostics() {
    return omitted;
  }

  /** How many unsilenced findings of {@code severity} there are, omitted ones included. */
  public int count(Severity severity) {
    return counts.getOrDefault(severity, 0);
  }

  /**
   * Whether the JDK 17–25 provider accepts this file. When it does not, the first bind or connect
   * of any socket in a JVM started with it fails with {@code ExceptionInInitializerError}.
   */
  public boolean jdkAccepts() {
    return jdkRefusal == null;
  }

  /** The JDK's message for the first line it refuses, e.g. {@code Malformed line 'x'}. */
  public Optional<String> jdkRefusal() {
    return Optional.ofNullable(jdkRefusal);
  }

  /** Whether the shim will run this config: the JDK accepts it and no error is left unsilenced. */
  public boolean isValid() {
    return jdkAccepts() && count(Severity.ERROR) == 0;
  }

  /**
   * This config with further findings about it that the parser cannot make itself, such as checks
   * against the host or the target JDK. They are silenced by the file's {@code # sdpcheck disable=}
   * comments, counted, and limited exactly like the parser's own findings, and sorted into line order.
   */
  public SdpConfig withDiagnostics(Collection<Diagnostic> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    // The SDP120 note, if any, stands last and is rebuilt below with the new count.
    List<Diagnostic> kept = new ArrayList<>(omitted > 0 ? diagnostics.subList(0, diagnostics.size() - 1) : diagnostics);
    List<Diagnostic> silenced = new ArrayList<>(suppressed);
    Map<Severity, Integer> newCounts = new EnumMap<>(Severity.class);
    newCounts.putAll(counts);
    int newOmitted = omitted;
    String refusal = jdkRefusal;
    for (Diagnostic d : extra) {
      if (d.jdkFatal() && refusal == null) {
        refusal = d.jdkMessage();
      }
      if (suppressions.silences(d)) {
        if (silenced.size() < maxDiagnostics) {
          silenced.add(d);
        }
        continue;
      }
      newCounts.merge(d.severity(), 1, Integer::sum);
      if (kept.size() < maxDiagnostics) {
        kept.add(d);
      } else {
        newOmitted++;
      }
    }
    kept.sort(SdpConfigParser.IN_LINE_ORDER);
    if (newOmitted > 0) {
      kept.add(SdpConfigParser.omittedNote(newOmitted, maxDiagnostics));
    }
    return new SdpConfig(source, rules, kept, silenced, newCounts, newOmitted, refusal, suppressions, maxDiagnostics);
  }

  /** An indexed matcher over the rules; compile once and share it. */
  public RuleMatcher compile() {
    return RuleMatcher.compile(rules);
  }

  @Override
  public String toString() {
    return "SdpConfig[" + source + ": " + rules.size() + " rules, " + diagnostics.size() + " diagnostics]";
  }
}
