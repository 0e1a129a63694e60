package dev.sdpshim.conf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The syntax of a rails file, one directive a line, {@code #} to the end of the line a comment:
 * <pre>
 * rail NAME ADDRESS/PREFIX [dev INTERFACE]
 * policy round-robin | least-connections | sticky
 * connect-timeout DURATION     (e.g. 500ms, 2s)
 * probe-interval DURATION
 * hedge-delay DURATION | off   (shorter than connect-timeout)
 * user-timeout DURATION | off  (TCP_USER_TIMEOUT of railed connections; default off)
 * </pre>
 * Every problem becomes a diagnostic on its line (SDP401 for the syntax and values, SDP402 and
 * SDP403 for rails that cannot live in one group); parsing goes on after it, so one run reports
 * them all. One instance per file.
 */
final class RailLineParser {
  private static final int MAX_INTERFACE_NAME = 15; // IFNAMSIZ - 1

  private final String source;
  private final List<Diagnostic> found = new ArrayList<>();
  private final List<RailsConfig.Rail> rails = new ArrayList<>();
  /** Directive keyword to the line that set it: each may be given once. */
  private final Map<String, Integer> setOn = new HashMap<>();
  private RailPolicy policy = RailPolicy.ROUND_ROBIN;
  private Duration connectTimeout = RailsConfig.DEFAULT_CONNECT_TIMEOUT;
  private Duration probeInterval = RailsConfig.DEFAULT_PROBE_INTERVAL;
  /** As given (zero: off), null when not given; checked against the connect timeout at the end. */
  private Duration hedgeDelay;
  private SourcePosition hedgeDelayAt;
  /** Zero: off, the default. */
  private Duration userTimeout = Duration.ZERO;

  RailLineParser(String source) {
    this.source = source;
  }

  RailsConfig parse(byte[] bytes) {
    ConfigLines lines;
    try {
      lines = ConfigLines.of(bytes, null);
    } catch (IOException e) {
      throw new UncheckedIOException("reading bytes in memory cannot fail", e);
    }
    if (lines.malformedAt != null) {
      found.add(new Diagnostic(Code.SDP401, lines.malformedAt, "invalid UTF-8: the rest of the file is not read;"
          + " a rails file is ASCII (names, addresses and numbers)", false, ""));
    }
    return parse(lines);
  }

  RailsConfig parse(ConfigLines lines) {
    for (ConfigLines.Line line : lines.lines) {
      parseLine(line);
    }
    if (rails.isEmpty()) {
      found.add(noRails());
    }
    Duration hedge = hedgeDelay == null ? RailsConfig.defaultHedgeDelay(connectTimeout) : hedgeDelay;
    if (hedgeDelay != null && !hedgeDelay.isZero()) {
      Optional<Diagnostic> bad = checkHedgeDelay(hedgeDelay, connectTimeout, hedgeDelayAt);
      bad.ifPresent(found::add);
      hedge = bad.isPresent() ? RailsConfig.defaultHedgeDelay(connectTimeout) : hedge;
    }
    return new RailsConfig(source, rails, policy, connectTimeout, probeInterval, hedge, userTimeout, found);
  }

  private void parseLine(ConfigLines.Line line) {
    String raw = line.text();
    int hash = raw.indexOf('#');
    Fields f = Fields.of(hash < 0 ? raw : raw.substring(0, hash));
    if (f.count() == 0) {
      return;
    }
    String keyword = f.get(0);
    switch (keyword) {
      case "rail" -> rail(line, f);
      case "policy" -> once(line, f, () -> policy(line, f));
      case "connect-timeout" -> once(line, f, () -> connectTimeout = duration(line, f, connectTimeout));
      case "probe-interval" -> once(line, f, () -> probeInterval = duration(line, f, probeInterval));
      case "hedge-delay" -> once(line, f, () -> hedgeDelay(line, f));
      case "user-timeout" -> once(line, f, () -> userTimeout = f.get(1).equals("off") ? Duration.ZERO
          : duration(line, f, Duration.ZERO));
      default -> error(line, f, 0, "unknown directive '" + keyword + "': a rails file has 'rail NAME ADDRESS/PREFIX"
          + " [dev INTERFACE]', 'policy', 'connect-timeout', 'probe-interval', 'hedge-delay' and 'user-timeout'"
          + " lines");
    }
  }

  private void once(ConfigLines.Line line, Fields f, Runnable directive) {
    Integer earlier = setOn.putIfAbsent(f.get(0), line.number());
    if (earlier != null) {
      error(line, f, 0, f.get(0) + " is already set on line " + earlier + "; give it once");
      return;
    }
    if (f.count() != 2) {
      errorLine(line, f, f.get(0) + " takes exactly one value, this line has " + (f.count() - 1));
      return;
    }
    directive.run();
  }

  private void policy(ConfigLines.Line line, Fields f) {
    Optional<RailPolicy> p = RailPolicy.parse(f.get(1));
    if (p.isPresent()) {
      policy = p.get();
    } else {
      error(line, f, 1, "unknown policy '" + f.get(1) + "': expected " + RailPolicy.choices());
    }
  }

  /** {@code off}, or a duration checked against the connect timeout once the whole file is read. */
  private void hedgeDelay(ConfigLines.Line line, Fields f) {
    hedgeDelayAt = position(line, f, 1, 1);
    if (f.get(1).equals("off")) {
      hedgeDelay = Duration.ZERO;
      return;
    }
    hedgeDelay = duration(line, f, null); // null when bad: the default applies
  }

  /** {@code 500ms} or {@code 2s}; {@code fallback} (the default) when the value is bad. */
  private Duration duration(ConfigLines.Line line, Fields f, Duration fallback) {
    String text = f.get(1);
    boolean millis = text.endsWith("ms");
    String digits = text.substring(0, text.length() - (millis ? 2 : text.endsWith("s") ? 1 : 0));
    if (digits.equals(text) || digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || digits.length() > 9) {
      error(line, f, 1, "'" + text + "' is not a duration: write a whole number with ms or s, e.g. 500ms or 2s");
      return fallback;
    }
    long n = Long.parseLong(digits);
    Duration d = millis ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    Optional<Diagnostic> range = checkDuration(f.get(0), d, position(line, f, 1, 1));
    range.ifPresent(found::add);
    return range.isPresent() ? fallback : d;
  }

  private void rail(ConfigLines.Line line, Fields f) {
    if (f.count() != 3 && !(f.count() == 5 && f.get(3).equals("dev"))) {
      errorLine(line, f, "a rail line is 'rail NAME ADDRESS/PREFIX' or 'rail NAME ADDRESS/PREFIX dev INTERFACE'");
      return;
    }
    Parsed parsed = rail(f.get(1), f.get(2), f.count() == 5 ? f.get(4) : null, position(line, f, 0, f.count() - 1));
    if (parsed.problem() != null) {
      error(line, f, parsed.field(), parsed.problem());
      return;
    }
    RailsConfig.Rail rail = parsed.rail();
    checkRail(rail, rails).ifPresentOrElse(found::add, () -> rails.add(rail));
  }

  /**
   * A rail, or what is wrong with it.
   *
   * @param field where the problem is: 1 the name, 2 the address, 4 the interface
   */
  record Parsed(RailsConfig.Rail rail, int field, String problem) {}

  /** Checks and builds the rail {@code NAME ADDRESS/PREFIX [dev DEVICE]} (device null: none). */
  static Parsed rail(String name, String spec, String device, SourcePosition position) {
    if (!isPlainName(name)) {
      return new Parsed(null, 1, "rail name '" + name + "' may only have letters, digits, '.', '_' and '-'");
    }
    if (device != null && (device.isEmpty() || device.length() > MAX_INTERFACE_NAME || device.contains("/")
        || device.contains(":") || device.chars().anyMatch(c -> c <= ' '))) {
      return new Parsed(null, 4, "'" + device + "' cannot be an interface name: 1 to " + MAX_INTERFACE_NAME
          + " characters, no '/', ':' or spaces");
    }
    int slash = spec.indexOf('/');
    if (slash < 0) {
      return new Parsed(null, 2, "'" + spec + "' has no prefix length: write the rail's address with its subnet,"
          + " e.g. 192.168.10.1/24; the subnet maps a peer's address onto this rail");
    }
    InetAddress address = literal(spec.substring(0, slash));
    if (address == null || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return new Parsed(null, 2, "'" + spec.substring(0, slash) + "' is not a local unicast IP address literal"
          + " (host names are not resolved in a rails file)");
    }
    int bits = address.getAddress().length * 8;
    String prefix = spec.substring(slash + 1);
    if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(prefix) < 1 || Integer.parseInt(prefix) > bits) {
      return new Parsed(null, 2, "prefix length '" + prefix + "' must be a number from 1 to " + bits);
    }
    int length = Integer.parseInt(prefix);
    return new Parsed(new RailsConfig.Rail(name, address, AddressBlock.of(address, length), device, position), 0, null);
  }

  /**
   * Whether {@code rail} can join {@code kept}: a name of its own (SDP401), a subnet that overlaps
   * none (SDP402), and the family and prefix length of the others, so that a peer's host part
   * means the same on every rail (SDP403).
   */
  static Optional<Diagnostic> checkRail(RailsConfig.Rail rail, List<RailsConfig.Rail> kept) {
    for (RailsConfig.Rail other : kept) {
      if (other.name().equals(rail.name())) {
        return Optional.of(new Diagnostic(Code.SDP401, rail.position(), "rail name '" + rail.name() + "' is already"
            + " used" + onLine(other) + "; each rail needs a name of its own", false, ""));
      }
    }
    for (RailsConfig.Rail other : kept) {
      if (other.subnet().covers(rail.subnet()) || rail.subnet().covers(other.subnet())) {
        return Optional.of(new Diagnostic(Code.SDP402, rail.position(), "rail " + rail.describe() + " overlaps rail "
            + other.describe() + onLine(other) + ": every rail needs a subnet of its own, or a peer's address"
            + " would not say which rail it is on", false, ""));
      }
    }
    if (!kept.isEmpty()) {
      RailsConfig.Rail first = kept.get(0);
      if (first.subnet().isIpv4() != rail.subnet().isIpv4()
          || first.subnet().prefixLength() != rail.subnet().prefixLength()) {
        return Optional.of(new Diagnostic(Code.SDP403, rail.position(), "rail " + rail.describe()
            + " is not of the size and family of rail " + first.describe() + onLine(first) + ": a peer keeps its host"
            + " part on every rail, so all rails need the same prefix length in the same family", false, ""));
      }
    }
    return Optional.empty();
  }

  static Optional<Diagnostic> checkDuration(String what, Duration d, SourcePosition at) {
    if (d.compareTo(RailsConfig.MIN_DURATION) >= 0 && d.compareTo(RailsConfig.MAX_DURATION) <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Diagnostic(Code.SDP401, at, what + " " + d.toMillis() + " ms is out of range: from 1ms"
        + " to 3600s", false, ""));
  }

  /**
   * A hedge delay must be shorter than the connect timeout: a hedge starts while the first connect
   * is still pending, and a connect is never pending longer than the timeout.
   */
  static Optional<Diagnostic> checkHedgeDelay(Duration hedge, Duration connectTimeout, SourcePosition at) {
    Optional<Diagnostic> range = checkDuration("hedge-delay", hedge, at);
    if (range.isPresent() || hedge.compareTo(connectTimeout) < 0) {
      return range;
    }
    return Optional.of(new Diagnostic(Code.SDP401, at, "hedge-delay " + hedge.toMillis() + " ms is not shorter than"
        + " connect-timeout " + connectTimeout.toMillis() + " ms: the second rail's connect would start only after"
        + " the first one gave up; give a shorter delay (e.g. half the timeout) or 'hedge-delay off'", false, ""));
  }

  static Diagnostic noRails() {
    return new Diagnostic(Code.SDP401, SourcePosition.wholeFile(), "no usable rail: a rail group needs at least one"
        + " 'rail NAME ADDRESS/PREFIX' line, and two to fail over", false, "");
  }

  private static String onLine(RailsConfig.Rail rail) {
    return rail.position().line() > 0 ? " (line " + rail.position().line() + ")" : "";
  }

  private static boolean isPlainName(String s) {
    return s.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'));
  }

  /** An IPv4 dotted quad or IPv6 literal, never a name (so never DNS); null otherwise. */
  private static InetAddress literal(String text) {
    if (text.isEmpty() || !HostResolver.OfflineResolver.isLiteral(text)) {
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  private void error(ConfigLines.Line line, Fields f, int field, String message) {
    found.add(new Diagnostic(Code.SDP401, position(line, f, field, field), message, false, ""));
  }

  private void errorLine(ConfigLines.Line line, Fields f, String message) {
    found.add(new Diagnostic(Code.SDP401, position(line, f, 0, f.count() - 1), message, false, ""));
  }

  private static SourcePosition position(ConfigLines.Line line, Fields f, int first, int last) {
    return new SourcePosition(line.number(), f.column(first), f.endColumn(last), SourcePosition.excerpt(line.text()));
  }
}
