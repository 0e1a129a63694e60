package dev.sdpshim.shim;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.DiagnosticText;
import dev.sdpshim.conf.RailsConfig;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * How the shim writes config findings and rules into messages. The diagnostic format is the
 * compiler-style one sdpcheck uses; when sdp-conf grows a shared formatter, this delegates to it.
 */
final class ConfigText {
  private ConfigText() {
  }

  /** The message refusing {@code config}: a summary line, then every diagnostic on its own line. */
  static InvalidConfigException refusal(SdpConfig config) {
    List<String> lines = listing("com.sun.sdp.conf file", config.source(), config.count(Severity.ERROR),
        config.count(Severity.WARNING), config.diagnostics(), config.source());
    config.jdkRefusal().ifPresent(refusal -> {
      if (config.diagnostics().stream().noneMatch(Diagnostic::jdkFatal)) {
        // the fatal line is silenced by a suppression comment, which cannot make it valid
        lines.add(config.source() + ": error: the JDK 17-25 refuses this file (" + refusal
            + "); a suppression comment cannot make a malformed line acceptable");
      }
    });
    return new InvalidConfigException(String.join(System.lineSeparator(), lines),
        config.diagnostics(), null);
  }

  /** The message refusing a rails file, in the form of {@link #refusal(SdpConfig)}. */
  static InvalidConfigException refusal(RailsConfig rails) {
    List<Diagnostic> found = rails.diagnostics();
    List<String> lines = listing("rails file", rails.source(),
        (int) found.stream().filter(d -> d.severity() == Severity.ERROR).count(),
        (int) found.stream().filter(d -> d.severity() == Severity.WARNING).count(), found,
        "--rails " + rails.source());
    return new InvalidConfigException(String.join(System.lineSeparator(), lines), found, null);
  }

  /** A summary line, then every diagnostic on its own line. */
  private static List<String> listing(String kind, String source, int errors, int warnings,
      List<Diagnostic> diagnostics, String sdpcheckArgs) {
    List<String> lines = new ArrayList<>();
    lines.add("Invalid " + kind + " " + source + " (" + plural(errors, "error") + ", "
        + plural(warnings, "warning") + "): sdp-shim will not run it; see sdpcheck " + sdpcheckArgs
        + " for explanations");
    for (Diagnostic d : diagnostics) {
      lines.add(DiagnosticText.headline(source, d));
    }
    return lines;
  }

  /**
   * A rule as written in its file, with whitespace runs collapsed, e.g.
   * {@code connect 192.168.0.0/24 1024-*}.
   */
  static String ruleText(Rule rule) {
    String text = rule.position().text().strip();
    return text.isEmpty() ? rule.canonicalText() : String.join(" ", text.split("\\s+"));
  }

  /** {@code rule line 3 'connect 192.168.0.0/24 1024-*'}. */
  static String describe(Rule rule) {
    return "rule line " + rule.position().line() + " '" + ruleText(rule) + "'";
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
