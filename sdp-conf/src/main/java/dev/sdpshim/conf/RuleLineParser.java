package dev.sdpshim.conf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one non-comment line into a {@link Rule}, or into the diagnostic that explains why the JDK
 * refuses it. The order of checks is the JDK's (field count, action, ports, address), so the first
 * fatal message is the one the JDK would throw. Never throws for content.
 */
final class RuleLineParser {
  private static final int MAX_LISTED_ADDRESSES = 8;
  private static final Action[] ACTIONS = Action.values();

  private final HostResolver resolver;

  RuleLineParser(HostResolver resolver) {
    this.resolver = resolver;
  }

  /** The outcome for one line: a rule (possibly null when fatal) and every finding on the line. */
  record Result(Rule rule, List<Diagnostic> diagnostics) {}

  Result parse(int ruleIndex, ConfigLines.Line line, Fields f, boolean firstLineOfFile) {
    List<Diagnostic> out = new ArrayList<>(2);
    String raw = line.text();
    Result fatal = checkShape(line, f, firstLineOfFile, out);
    if (fatal != null) {
      return fatal;
    }
    Action action = parseAction(f.get(0));
    PortRange ports = parsePorts(f.get(2));
    AddressSpec address;
    try {
      address = parseAddress(line, f, out);
    } catch (FatalLine e) {
      out.add(0, e.diagnostic);
      return new Result(null, out);
    }
    if (address == null) {
      return new Result(null, out);
    }
    Rule rule = new Rule(ruleIndex, action, address, ports,
        new SourcePosition(line.number(), f.offset + 1, f.offset + f.trimmed.length() + 1, SourcePosition.excerpt(raw)));
    checkPorts(line, f, ports, out);
    checkReach(line, f, rule, out);
    checkCharacters(line.number(), raw, out);
    return new Result(rule, out);
  }

  /** Field count, action and port syntax: the JDK's first three checks. Null when all pass. */
  private Result checkShape(ConfigLines.Line line, Fields f, boolean firstLine, List<Diagnostic> out) {
    String t = f.trimmed;
    int n = line.number();
    if (f.count() != 3) {
      out.add(fatal(refineCause(Code.SDP001, t, firstLine), n, f.offset + 1, f.offset + t.length() + 1,
          describeFieldCount(f), "Malformed line '" + t + "'"));
    } else if (parseAction(f.get(0)) == null) {
      out.add(fatal(refineCause(Code.SDP002, t, firstLine), n, f.column(0), f.endColumn(0),
          "action '" + show(f.get(0)) + "' is neither 'bind' nor 'connect'", "Action '" + f.get(0) + "' not recognized"));
    } else if (parsePorts(f.get(2)) == null) {
      out.add(fatal(refineCause(Code.SDP003, t, firstLine), n, f.column(2), f.endColumn(2),
          "port range '" + show(f.get(2)) + "' is not N, N-M, N-, -M or * (N, M decimal)",
          "Malformed port range '" + f.get(2) + "'"));
    } else {
      return null;
    }
    checkCharacters(n, line.text(), out);
    return new Result(null, out);
  }

  /**
   * A fatal line gets the most specific code for its real cause: a BOM on the first line, a '#'
   * meant as a trailing comment, or a no-break space that glued two fields together.
   */
  private static Code refineCause(Code generic, String t, boolean firstLine) {
    if (firstLine && t.charAt(0) == '\uFEFF') {
      return Code.SDP007;
    }
    if (t.indexOf('#') >= 0) {
      return Code.SDP006;
    }
    if (generic == Code.SDP001 && firstUnicodeSpace(t) >= 0) {
      return Code.SDP012;
    }
    return generic;
  }

  private static String describeFieldCount(Fields f) {
    String t = f.trimmed;
    if (t.indexOf('#') >= 0) {
      return "'#' starts a comment only at the beginning of a line; this line has " + f.count()
          + " fields, a rule needs exactly 3 (action, address, ports)";
    }
    int u = firstUnicodeSpace(t);
    if (u >= 0) {
      return String.format(Locale.ROOT, "%s at column %d is not whitespace to the JDK; the line has %d field(s), a rule needs exactly 3",
          codePointName(t.charAt(u)), f.offset + u + 1, f.count());
    }
    return "a rule needs exactly 3 fields (action, address, ports); this line has " + f.count();
  }

  /** The JDK's action match: {@code equalsIgnoreCase}, which also accepts e.g. a dotless i. */
  static Action parseAction(String s) {
    for (Action a : ACTIONS) {
      if (s.equalsIgnoreCase(a.name())) {
        return a;
      }
    }
    return null;
  }

  /**
   * The JDK's port syntax: {@code *}, {@code N}, or {@code LOW-HIGH} split at the first '-', each
   * side empty or {@code *} for open, numbers through {@code Integer.parseInt} (so {@code +80} and
   * non-ASCII digits pass and nothing is bounds-checked). Null when the JDK would refuse it.
   */
  static PortRange parsePorts(String s) {
    try {
      int dash = s.indexOf('-');
      if (dash < 0) {
        if (s.equals("*")) {
          return PortRange.ALL;
        }
        int p = Integer.parseInt(s);
        return new PortRange(p, p);
      }
      String low = s.substring(0, dash);
      String high = s.substring(dash + 1);
      int lo = low.isEmpty() || low.equals("*") ? 0 : Integer.parseInt(low);
      int hi = high.isEmpty() || high.equals("*") ? PortRange.MAX_PORT : Integer.parseInt(high);
      return new PortRange(lo, hi);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static final class FatalLine extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Diagnostic diagnostic;

    FatalLine(Diagnostic diagnostic) {
      super(null, null, false, false);
      this.diagnostic = diagnostic;
    }
  }

  /** Null when the address is deliberately unresolved; throws for a line the JDK refuses. */
  private AddressSpec parseAddress(ConfigLines.Line line, Fields f, List<Diagnostic> out) throws FatalLine {
    String a = f.get(1);
    int n = line.number();
    if (a.equals("*")) {
      return AddressSpec.any();
    }
    int slash = a.indexOf('/');
    if (slash < 0) {
      List<InetAddress> all = resolveAll(a, line, f);
      if (all.isEmpty()) {
        out.add(info(Code.SDP102, n, f.column(1), f.endColumn(1),
            "host name '" + show(a) + "' not resolved (offline); the JDK resolves it at JVM start"));
        return AddressSpec.unresolvedHostname(a);
      }
      List<AddressBlock> blocks = new ArrayList<>(all.size());
      for (InetAddress address : all) {
        blocks.add(AddressBlock.host(address));
      }
      if (!HostResolver.OfflineResolver.isLiteral(a)) {
        out.add(info(Code.SDP101, n, f.column(1), f.endColumn(1), describeResolution(a, all)));
        return AddressSpec.hostname(a, blocks);
      }
      noteMapped(a, all.get(0), n, f, out);
      return AddressSpec.literal(a, blocks.get(0));
    }
    String host = a.substring(0, slash);
    InetAddress address = resolveFirst(host, a, line, f);
    if (address == null) {
      out.add(info(Code.SDP102, n, f.column(1), f.endColumn(1),
          "host name '" + show(host) + "' not resolved (offline); the JDK resolves it at JVM start"));
      return AddressSpec.unresolvedHostname(a);
    }
    int prefix = parsePrefix(a, slash, address);
    if (prefix <= 0) {
      boolean zero = prefix == 0;
      throw new FatalLine(fatal(zero ? Code.SDP009 : Code.SDP004, n, f.column(1) + slash, f.endColumn(1),
          zero ? "prefix /0 is refused by the JDK ('Malformed prefix'); write '*' to match every address"
                  + " (of both families; 0.0.0.0/0 would have meant IPv4 only)"
              : "prefix '" + show(a.substring(slash)) + "' must be a number from 1 to "
                  + (address instanceof Inet4Address ? 32 : 128) + " for " + show(address.getHostAddress()),
          "Malformed prefix '" + a + "'"));
    }
    AddressBlock block = AddressBlock.of(address, prefix);
    if (host.isEmpty()) {
      out.add(info(Code.SDP117, n, f.column(1), f.endColumn(1), "'" + show(a) + "' has no address before '/': the JDK reads it as "
          + block + " (the loopback address); write it out"));
    } else if (!HostResolver.OfflineResolver.isLiteral(host)) {
      out.add(info(Code.SDP116, n, f.column(1), f.endColumn(1), "host name '" + show(host) + "' with a prefix uses only its first address "
          + address.getHostAddress() + " (resolved at JVM start); use an address literal"));
    } else {
      noteMapped(host, address, n, f, out);
      if (!block.network().equals(address)) {
        out.add(info(Code.SDP115, n, f.column(1), f.endColumn(1), "'" + show(a) + "' has host bits set; it means " + block));
      }
    }
    return AddressSpec.literal(a, block);
  }

  /** The JDK takes the prefix with {@code Integer.parseInt} and accepts 1..32 or 1..128. */
  private static int parsePrefix(String a, int slash, InetAddress address) {
    int prefix;
    try {
      prefix = Integer.parseInt(a, slash + 1, a.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
    int max = address instanceof Inet4Address ? 32 : 128;
    return prefix < 0 || prefix > max ? -1 : prefix;
  }

  private List<InetAddress> resolveAll(String a, ConfigLines.Line line, Fields f) throws FatalLine {
    try {
      return resolver.resolveAll(a);
    } catch (UnknownHostException | RuntimeException e) {
      throw unknownHost(a, line, f, e);
    }
  }

  private InetAddress resolveFirst(String host, String a, ConfigLines.Line line, Fields f) throws FatalLine {
    try {
      return resolver.resolveFirst(host);
    } catch (UnknownHostException | RuntimeException e) {
      throw unknownHost(a, line, f, e);
    }
  }

  private static FatalLine unknownHost(String a, ConfigLines.Line line, Fields f, Exception cause) {
    String why = cause instanceof UnknownHostException ? "" : " (" + cause.getClass().getSimpleName() + ")";
    return new FatalLine(fatal(Code.SDP005, line.number(), f.column(1), f.endColumn(1),
        "'" + show(a) + "' is neither an IP address nor a host name that resolves here" + why,
        "Unknown host or malformed IP address '" + a + "'"));
  }

  private static String describeResolution(String host, List<InetAddress> all) {
    StringBuilder sb = new StringBuilder("host name '").append(show(host)).append("' makes the JVM depend on DNS at start-up; it resolved to ")
        .append(all.size()).append(all.size() == 1 ? " address: " : " addresses: ");
    for (int i = 0; i < Math.min(all.size(), MAX_LISTED_ADDRESSES); i++) {
      sb.append(i == 0 ? "" : ", ").append(all.get(i).getHostAddress());
    }
    if (all.size() > MAX_LISTED_ADDRESSES) {
      sb.append(", \u2026");
    }
    return sb.append("; prefer address literals").toString();
  }

  private static void noteMapped(String text, InetAddress address, int n, Fields f, List<Diagnostic> out) {
    if (text.indexOf(':') >= 0 && address instanceof Inet4Address) {
      out.add(info(Code.SDP114, n, f.column(1), f.endColumn(1), "'" + show(text) + "' is an IPv4-mapped address: Java turns it into the IPv4 rule "
          + address.getHostAddress() + ", which never matches IPv6 sockets; write " + address.getHostAddress()));
    }
  }

  private static void checkPorts(ConfigLines.Line line, Fields f, PortRange ports, List<Diagnostic> out) {
    int n = line.number();
    String p = f.get(2);
    if (ports.low() > ports.high() || ports.high() < 0) {
      out.add(info(Code.SDP011, n, f.column(2), f.endColumn(2), "port range '" + show(p) + "' is " + ports.low() + " to " + ports.high()
          + ", which holds no port: the rule never matches"));
    } else if (ports.low() > PortRange.MAX_PORT) {
      out.add(info(Code.SDP010, n, f.column(2), f.endColumn(2), "port " + ports.low() + " is above 65535: the rule never matches"));
    } else if (ports.high() > PortRange.MAX_PORT) {
      out.add(info(Code.SDP118, n, f.column(2), f.endColumn(2), "port range '" + show(p) + "' ends above 65535; write '"
          + ports.low() + "-*'"));
    }
    if (hasUnusualNumber(p)) {
      out.add(info(Code.SDP113, n, f.column(2), f.endColumn(2), "port range '" + show(p) + "' uses a '+' sign or leading zeros; the JDK reads it as "
          + ports));
    }
  }

  /** Whether some '-'-separated part of {@code p} starts with '+', or with '0' and is longer than "0". */
  private static boolean hasUnusualNumber(String p) {
    int start = 0;
    while (true) {
      int end = p.indexOf('-', start);
      if (end < 0) {
        end = p.length();
      }
      if (end > start && (p.charAt(start) == '+' || (end - start > 1 && p.charAt(start) == '0'))) {
        return true;
      }
      if (end == p.length()) {
        return false;
      }
      start = end + 1;
    }
  }

  /** Rules whose reach is surprising: everything, or local traffic. */
  private static void checkReach(ConfigLines.Line line, Fields f, Rule rule, List<Diagnostic> out) {
    int n = line.number();
    int end = f.offset + f.trimmed.length() + 1;
    if (rule.address().matchesAnyAddress() && rule.ports().coversAllPorts()) {
      out.add(info(Code.SDP106, n, f.offset + 1, end, "'" + rule.canonicalText() + "' converts every " + rule.action().keyword()
          + " of the JVM, local and administrative traffic included; list the InfiniBand subnets instead"));
    } else if (rule.action() == Action.CONNECT && !rule.ports().neverMatches() && coversLoopback(rule)) {
      out.add(info(Code.SDP105, n, f.column(1), f.endColumn(1), "connect rule covers loopback, so local connections (to "
          + "127.0.0.1 or ::1) would go over SDP, which has no loopback path; narrow it to the InfiniBand subnets"));
    }
    if (rule.address().hasIpv6()) {
      out.add(info(Code.SDP107, n, f.column(1), f.endColumn(1), "IPv6 rule: the JDK converts only with -Djava.net.preferIPv4Stack=true,"
          + " which stops IPv6 entirely, so this rule never takes effect there; the shim converts IPv6 sockets"));
    }
  }

  private static boolean coversLoopback(Rule rule) {
    if (rule.address().matchesAnyAddress()) {
      return true;
    }
    for (AddressBlock b : rule.address().blocks()) {
      for (byte[] loopback : LOOPBACKS) {
        if (b.contains(loopback)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@link InetAddress#getLoopbackAddress()} (a constant of the JVM), 127.0.0.1 and ::1, as bytes. */
  private static final byte[][] LOOPBACKS = {
      InetAddress.getLoopbackAddress().getAddress(),
      {127, 0, 0, 1},
      {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

  /** One warning per line for the first non-ASCII or control character, with its name. */
  static void checkCharacters(int lineNumber, String raw, List<Diagnostic> out) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\t' || (c >= ' ' && c < 0x7F)) {
        continue;
      }
      if (lineNumber == 1 && i == 0 && c == '\uFEFF') {
        continue; // reported as SDP007
      }
      out.add(info(Code.SDP111, lineNumber, i + 1, i + 2, codePointName(c) + " at column " + (i + 1)
          + (c < ' ' || c == 0x7F ? " is a control character" : " is not ASCII")
          + "; the JDK compares bytes and digits literally, so it rarely means what it looks like"));
      return;
    }
  }

  static int firstUnicodeSpace(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c > 0x7F && (Character.isSpaceChar(c) || Character.isWhitespace(c) || c == '\uFEFF')) {
        return i;
      }
    }
    return -1;
  }

  static String codePointName(char c) {
    String name = Character.getName(c);
    return String.format(Locale.ROOT, "U+%04X%s", (int) c, name == null ? "" : " " + name);
  }

  /** Field text for a message: control characters made visible, length bounded. */
  static String show(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 80));
    for (int i = 0; i < s.length() && sb.length() < 80; i++) {
      char c = s.charAt(i);
      if (c < ' ' || c == 0x7F) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.length() < s.length() && s.length() > 80 ? sb + "\u2026" : sb.toString();
  }

  private static Diagnostic info(Code code, int line, int column, int endColumn, String message) {
    return new Diagnostic(code, new SourcePosition(line, column, endColumn, ""), message, false, "");
  }

  private static Diagnostic fatal(Code code, int line, int column, int endColumn, String message, String jdkMessage) {
    return new Diagnostic(code, new SourcePosition(line, column, endColumn, ""), message, true,
        SourcePosition.excerpt(jdkMessage));
  }
}
