package dev.sdpshim.conf;

import java.util.Optional;

/**
 * The stable diagnostic codes. A code's number and meaning never change once released; each has
 * a page {@code docs/rules/SDPnnn.md}. Numbering: 0xx the file is refused or a rule is dead,
 * 1xx the file works but something is wrong or fragile, 2xx checks against the host, 3xx the JDK,
 * 4xx a rails file ({@code -Dsdpshim.rails}, see {@link RailsConfig}).
 */
public enum Code {
  SDP001(Severity.ERROR, "Line does not have exactly three fields"),
  SDP002(Severity.ERROR, "Action is neither bind nor connect"),
  SDP003(Severity.ERROR, "Malformed port range"),
  SDP004(Severity.ERROR, "Malformed prefix"),
  SDP005(Severity.ERROR, "Unknown host or malformed IP address"),
  SDP006(Severity.ERROR, "'#' after a rule is not a comment"),
  SDP007(Severity.ERROR, "Byte order mark at the start of the file"),
  SDP008(Severity.ERROR, "Invalid UTF-8"),
  SDP009(Severity.ERROR, "Prefix /0 is refused by the JDK"),
  SDP010(Severity.ERROR, "Port above 65535: rule never matches"),
  SDP011(Severity.ERROR, "Reversed or negative port range: rule never matches"),
  SDP012(Severity.ERROR, "Non-ASCII space between fields"),

  SDP101(Severity.WARNING, "Host name resolved at JVM start"),
  SDP102(Severity.INFO, "Host name not resolved (offline)"),
  SDP103(Severity.WARNING, "Duplicate rule"),
  SDP104(Severity.WARNING, "Rule covered by an earlier rule"),
  SDP105(Severity.WARNING, "Connect rule covers loopback"),
  SDP106(Severity.WARNING, "Rule matches every address and port"),
  SDP107(Severity.WARNING, "IPv6 rule"),
  SDP108(Severity.WARNING, "No rules: SDP is disabled"),
  SDP109(Severity.STYLE, "CRLF line ends"),
  SDP110(Severity.WARNING, "Unusual line terminator"),
  SDP111(Severity.WARNING, "Non-ASCII character"),
  SDP112(Severity.WARNING, "Config file writable by other users"),
  SDP113(Severity.STYLE, "Unusual number spelling"),
  SDP114(Severity.WARNING, "IPv4-mapped IPv6 literal becomes an IPv4 rule"),
  SDP115(Severity.STYLE, "Host bits set in a prefix rule"),
  SDP116(Severity.WARNING, "Host name with a prefix uses only its first address"),
  SDP117(Severity.WARNING, "Empty address before '/' means loopback"),
  SDP118(Severity.STYLE, "Port range reaches above 65535"),
  SDP119(Severity.STYLE, "Unknown code in a suppression comment"),
  SDP120(Severity.INFO, "Too many diagnostics"),

  SDP201(Severity.WARNING, "Bind address is not assigned to this host"),
  SDP202(Severity.INFO, "Bind address is not on an InfiniBand interface"),

  SDP301(Severity.WARNING, "This JDK ignores com.sun.sdp.conf"),

  SDP401(Severity.ERROR, "Malformed line in a rails file"),
  SDP402(Severity.ERROR, "Rail subnets overlap"),
  SDP403(Severity.ERROR, "Rails differ in family or prefix length"),
  SDP404(Severity.WARNING, "No bind rule covers a rail"),
  SDP405(Severity.WARNING, "Rail address or interface not on this host");

  private final Severity severity;
  private final String title;

  Code(Severity severity, String title) {
    this.severity = severity;
    this.title = title;
  }

  public Severity severity() {
    return severity;
  }

  /** One line saying what the code is about. */
  public String title() {
    return title;
  }

  /** The relative path of this code's documentation page in the repository. */
  public String docPath() {
    return "docs/rules/" + name() + ".md";
  }

  /** Parses {@code SDP104} (case-insensitive); empty for anything else. */
  public static Optional<Code> parse(String text) {
    for (Code c : values()) {
      if (c.name().equalsIgnoreCase(text)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
