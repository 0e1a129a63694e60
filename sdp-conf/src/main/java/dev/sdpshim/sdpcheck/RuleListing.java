package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.AddressBlock;
import dev.sdpshim.conf.AddressSpec;
import dev.sdpshim.conf.DiagnosticText;
import dev.sdpshim.conf.PortRange;
import dev.sdpshim.conf.Rule;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The show-rules view of one rule: what the runtime matches, one line per address block, e.g.
 * {@code  12: connect 192.0.2.10 5432  (db.example)}.
 */
final class RuleListing {
  private static final Pattern DOTTED = Pattern.compile("[0-9.]+");

  private RuleListing() {}

  static void append(StringBuilder sb, Rule rule, int width) {
    String prefix = String.format(Locale.ROOT, "%" + width + "d: %s ", rule.position().line(), rule.action().keyword());
    String ports = ports(rule.ports());
    String never = neverMatches(rule.ports());
    AddressSpec address = rule.address();
    if (address.matchesAnyAddress()) {
      line(sb, prefix + "* " + ports, never);
    } else if (!address.isResolved()) {
      line(sb, prefix + DiagnosticText.visible(address.text()) + " " + ports,
          "not resolved: --offline; the JVM resolves it at start" + (never.isEmpty() ? "" : "; " + never));
    } else {
      String origin = isName(address.text()) ? DiagnosticText.visible(address.text()) : "";
      List<AddressBlock> blocks = address.blocks();
      for (AddressBlock block : blocks) {
        String note = origin.isEmpty() ? never : never.isEmpty() ? origin : origin + "; " + never;
        line(sb, prefix + Addresses.format(block) + " " + ports, note);
      }
    }
  }

  private static void line(StringBuilder sb, String text, String note) {
    sb.append(text);
    if (!note.isEmpty()) {
      sb.append("  (").append(note).append(')');
    }
    sb.append('\n');
  }

  /** The ports the rule can match, low-high; a range reaching past 65535 is cut there, as probes are. */
  static String ports(PortRange p) {
    if (p.neverMatches()) {
      return p.low() == p.high() ? Integer.toString(p.low()) : p.low() + "-" + p.high();
    }
    int lo = Math.max(p.low(), 0);
    int hi = Math.min(p.high(), PortRange.MAX_PORT);
    return lo == hi ? Integer.toString(lo) : lo + "-" + hi;
  }

  private static String neverMatches(PortRange p) {
    if (!p.neverMatches()) {
      return "";
    }
    return p.low() > PortRange.MAX_PORT ? "never matches: no port is above 65535" : "never matches: the port range is empty";
  }

  /** Whether the address was written as a name (or empty, the loopback) rather than an IP literal. */
  private static boolean isName(String text) {
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    return host.isEmpty() || (host.indexOf(':') < 0 && !DOTTED.matcher(host).matches());
  }
}
