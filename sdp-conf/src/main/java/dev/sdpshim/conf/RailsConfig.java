package dev.sdpshim.conf;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rail group as configured: the local addresses of one host's ports (its rails), each with the
 * subnet that maps a peer onto it, and how connections are spread and moved between them. Read
 * from a rails file (named by {@code -Dsdpshim.rails}, format in docs/rails.md) or built from
 * {@link #of}; either way every problem is a {@link Diagnostic} (codes SDP401-SDP403), never an
 * exception. Immutable and thread-safe.
 *
 * <p>A peer's address on rail <i>i</i> keeps its host part and takes rail <i>i</i>'s network
 * part: with rails 192.168.10.1/24 and 192.168.20.1/24, peer 192.168.10.7 is 192.168.20.7 on the
 * second rail. So all rails must have the same family and prefix length, and no two may overlap.
 */
public final class RailsConfig {
  /** Used when a file or builder does not say. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(2);
  /** Bounds of both durations: shorter is noise, longer is no failover at all. */
  static final Duration MIN_DURATION = Duration.ofMillis(1);
  static final Duration MAX_DURATION = Duration.ofHours(1);
  /** The hedge delay when none is given, unless half the connect timeout is shorter (RFC 8305's delay). */
  public static final Duration DEFAULT_HEDGE_DELAY = Duration.ofMillis(250);

  /**
   * One rail.
   *
   * @param name unique in the group; names the rail in logs, statistics and MXBeans
   * @param address the local address its sockets bind to
   * @param subnet the address's network, which maps peers onto this rail
   * @param device the interface carrying it (e.g. {@code ib0}), or null when not named
   * @param position its line in the rails file (line 0 when built in code)
   */
  public record Rail(String name, InetAddress address, AddressBlock subnet, String device, SourcePosition position) {
    public Rail {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(subnet, "subnet");
      Objects.requireNonNull(position, "position");
    }

    /**
     * A rail built in code, checked as a rails file's line: {@code addressAndPrefix} is an IP
     * literal with the prefix length of its subnet ({@code 192.168.10.1/24}); {@code device} may
     * be null.
     *
     * @throws IllegalArgumentException naming what is wrong, in the words of SDP401
     */
    public static Rail of(String name, String addressAndPrefix, String device) {
      RailLineParser.Parsed parsed = RailLineParser.rail(name, addressAndPrefix, device, SourcePosition.wholeFile());
      if (parsed.problem() != null) {
        throw new IllegalArgumentException("rail " + name + ": " + parsed.problem());
      }
      return parsed.rail();
    }

    /** {@code ib1 (192.168.20.1/24)}, for messages. */
    public String describe() {
      return name + " (" + address.getHostAddress() + "/" + subnet.prefixLength() + ")";
    }
  }

  private final String source;
  private final List<Rail> rails;
  private final RailPolicy policy;
  private final Duration connectTimeout;
  private final Duration probeInterval;
  /** Zero: no hedge. */
  private final Duration hedgeDelay;
  /** Zero: the kernel's default (no TCP_USER_TIMEOUT set). */
  private final Duration userTimeout;
  private final List<Diagnostic> diagnostics;

  RailsConfig(String source, List<Rail> rails, RailPolicy policy, Duration connectTimeout, Duration probeInterval,
      Duration hedgeDelay, Duration userTimeout, List<Diagnostic> diagnostics) {
    this.source = source;
    this.rails = List.copyOf(rails);
    this.policy = policy;
    this.connectTimeout = connectTimeout;
    this.probeInterval = probeInterval;
    this.hedgeDelay = hedgeDelay;
    this.userTimeout = userTimeout;
    List<Diagnostic> sorted = new ArrayList<>(diagnostics);
    sorted.sort(SdpConfigParser.IN_LINE_ORDER);
    this.diagnostics = Collections.unmodifiableList(sorted);
  }

  /** Reads a rails file; only I/O failures throw, with the path in the message. */
  public static RailsConfig parse(Path file) throws IOException {
    return parse(file, file.toString());
  }

  /** {@link #parse(Path)}, naming the file {@code source} in diagnostics. */
  public static RailsConfig parse(Path file, String source) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException("Error reading rails file " + source + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
    return parse(bytes, source);
  }

  /** Parses the bytes of a rails file; never throws, whatever they are. */
  public static RailsConfig parse(byte[] bytes, String source) {
    return new RailLineParser(source).parse(bytes);
  }

  public static RailsConfig parse(String text, String source) {
    return new RailLineParser(source).parse(ConfigLines.of(text));
  }

  /**
   * A group built in code, checked like a file (durations, names, subnets); {@code source} names it
   * in diagnostics. Null durations and policy take the defaults.
   */
  public static RailsConfig of(String source, List<Rail> rails, RailPolicy policy, Duration connectTimeout,
      Duration probeInterval) {
    return of(source, rails, policy, connectTimeout, probeInterval, null);
  }

  /**
   * {@link #of(String, List, RailPolicy, Duration, Duration)} with a hedge delay: null takes the
   * default ({@link #defaultHedgeDelay}), {@link Duration#ZERO} turns hedging off; otherwise it
   * must be shorter than the connect timeout.
   */
  public static RailsConfig of(String source, List<Rail> rails, RailPolicy policy, Duration connectTimeout,
      Duration probeInterval, Duration hedgeDelay) {
    List<Diagnostic> found = new ArrayList<>();
    SourcePosition whole = SourcePosition.wholeFile();
    Duration timeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    Duration interval = probeInterval == null ? DEFAULT_PROBE_INTERVAL : probeInterval;
    RailLineParser.checkDuration("connect-timeout", timeout, whole).ifPresent(found::add);
    RailLineParser.checkDuration("probe-interval", interval, whole).ifPresent(found::add);
    Duration hedge = hedgeDelay == null ? defaultHedgeDelay(timeout) : hedgeDelay;
    if (!hedge.isZero()) {
      RailLineParser.checkHedgeDelay(hedge, timeout, whole).ifPresent(found::add);
    }
    List<Rail> kept = new ArrayList<>();
    for (Rail rail : rails) {
      RailLineParser.checkRail(rail, kept).ifPresentOrElse(found::add, () -> kept.add(rail));
    }
    if (kept.isEmpty()) {
      found.add(RailLineParser.noRails());
    }
    return new RailsConfig(source, kept, policy == null ? RailPolicy.ROUND_ROBIN : policy, timeout, interval, hedge,
        Duration.ZERO, found);
  }

  /**
   * This group with a TCP user timeout on its connections ({@code user-timeout} in a file):
   * {@link Duration#ZERO} for none (the kernel's default); otherwise 1 ms to 3600 s, checked like
   * the file's value (a diagnostic, never an exception).
   */
  public RailsConfig withUserTimeout(Duration timeout) {
    List<Diagnostic> found = new ArrayList<>(diagnostics);
    Duration kept = Objects.requireNonNull(timeout, "timeout");
    if (!timeout.isZero()) {
      Optional<Diagnostic> bad = RailLineParser.checkDuration("user-timeout", timeout, SourcePosition.wholeFile());
      bad.ifPresent(found::add);
      kept = bad.isPresent() ? Duration.ZERO : timeout;
    }
    return new RailsConfig(source, rails, policy, connectTimeout, probeInterval, hedgeDelay, kept, found);
  }

  /**
   * The hedge delay when none is configured: 250 ms, or half the
   * connect timeout when that is shorter; zero (no hedge) when the timeout is under 2 ms.
   */
  public static Duration defaultHedgeDelay(Duration connectTimeout) {
    Duration half = connectTimeout.dividedBy(2);
    return half.compareTo(DEFAULT_HEDGE_DELAY) < 0 ? Duration.ofMillis(half.toMillis()) : DEFAULT_HEDGE_DELAY;
  }

  /** The file name or other label given when parsing. */
  public String source() {
    return source;
  }

  /** The rails in file order; a rail with an error on its line is left out. */
  public List<Rail> rails() {
    return rails;
  }

  public RailPolicy policy() {
    return policy;
  }

  /** How long one connect on one rail may take before the connect moves to the next rail. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How often a rail that is down is probed. */
  public Duration probeInterval() {
    return probeInterval;
  }

  /**
   * How long a connect on one rail may be pending before the same connect is started on the next
   * healthy rail as well (the first to connect is kept); empty when hedging is off.
   */
  public Optional<Duration> hedgeDelay() {
    return hedgeDelay.isZero() ? Optional.empty() : Optional.of(hedgeDelay);
  }

  /**
   * How long data sent on a railed connection may stay unacknowledged before the kernel closes
   * the connection (TCP_USER_TIMEOUT): a port that dies under an established connection sends no
   * reset, so without it the connection hangs for the kernel's retransmission limit (minutes);
   * with it, the application's next write or read fails and it can reconnect, which a railed
   * factory places on a healthy rail. Empty when not set.
   */
  public Optional<Duration> userTimeout() {
    return userTimeout.isZero() ? Optional.empty() : Optional.of(userTimeout);
  }

  /** Every problem found, in line order. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Whether the shim will run this group: no errors. */
  public boolean isValid() {
    return diagnostics.stream().noneMatch(d -> d.severity() == Severity.ERROR);
  }

  /**
   * The rail whose subnet holds {@code address}, or -1. A railed connect binds to that rail's
   * (or, after failover, another rail's) address; an address outside every rail is not railed.
   */
  public int railOf(InetAddress address) {
    for (int i = 0; i < rails.size(); i++) {
      if (rails.get(i).subnet().contains(address)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code peer}'s address on rail {@code index}: its host part under that rail's network part.
   * {@code peer} must be of the rails' family.
   */
  public InetAddress peerOn(int index, InetAddress peer) {
    AddressBlock subnet = rails.get(index).subnet();
    byte[] network = subnet.networkBytes();
    byte[] out = peer.getAddress();
    byte[] net = AddressBlock.mask(out, subnet.prefixLength());
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (out[i] ^ net[i] ^ network[i]);
    }
    try {
      return InetAddress.getByAddress(out);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }

  /**
   * SDP404 for each rail whose connections no bind rule of {@code rules} converts. A railed
   * socket is bound to the rail's address with port 0 before it connects, so the bind rules judge
   * it (connect rules never do, as for any socket bound first): a rail no bind rule matches at
   * port 0 keeps every connection on TCP.
   */
  public List<Diagnostic> uncoveredBy(SdpConfig rules) {
    RuleMatcher matcher = rules.compile();
    List<Diagnostic> out = new ArrayList<>();
    for (Rail rail : rails) {
      if (matcher.firstMatch(Action.BIND, rail.address(), 0) == null) {
        String network = rail.subnet().toString();
        out.add(new Diagnostic(Code.SDP404, rail.position(), "rail " + rail.describe()
            + " binds its connections to " + rail.address().getHostAddress() + " port 0, which no bind rule of "
            + rules.source() + " matches, so they stay TCP: SDP never applies on this rail; add e.g. 'bind "
            + network + " *' (connect rules do not apply to railed sockets)", false, ""));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "RailsConfig[" + source + ": " + rails.size() + " rails, " + policy + ", " + diagnostics.size() + " diagnostics]";
  }
}
