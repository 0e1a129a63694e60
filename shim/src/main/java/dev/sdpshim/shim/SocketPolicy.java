package dev.sdpshim.shim;

import dev.sdpshim.conf.Action;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.RuleMatcher;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision: the one place that judges a bind or connect against the rules and acts on the
 * verdict. Every way in (the socket factories, the channel helpers, {@link ShimHook} for the
 * agent) calls {@link #decide}, and only this class calls {@link SocketConverter}. For one
 * socket it
 * <ol>
 *   <li>skips the check when the socket is already bound: a connect of a bound socket is not
 *       judged by the connect rules (bind-before-connect), and a bind of a bound one fails
 *       anyway. So a socket is converted at most once: at its bind, or at the connect that binds
 *       it implicitly;</li>
 *   <li>replaces a wildcard remote address by loopback, as the JDK does before connecting;</li>
 *   <li>asks the matcher for the first matching rule, with the address and port as given
 *       (wildcard and port 0 included for binds);</li>
 *   <li>if one matches: does nothing more in a dry run ({@link Protocol#TCP}); else checks that
 *       the kernel has the target protocol (probed once per protocol and family), converts the
 *       descriptor in place, and on failure applies the {@link Fallback} policy;</li>
 *   <li>counts the outcome, writes the {@code com.sun.sdp.debug} line and logs through SLF4J.</li>
 * </ol>
 * Logging: one WARN per rule and cause when sockets fall back to TCP; every decision at TRACE
 * (logger {@code dev.sdpshim.shim.SocketPolicy}); the per-decision log in the JDK's format is
 * {@code com.sun.sdp.debug}.
 * Thread-safe; the caller must own the socket during the call (it does: it is in the middle of
 * the socket's bind or connect).
 */
final class SocketPolicy {
  /** What a decision did to the socket. */
  enum Outcome {
    /** Not judged: the socket was already bound. */
    NOT_CHECKED,
    NO_MATCH,
    /** Matched, target {@link Protocol#TCP}: counted and logged, not converted. */
    DRY_RUN,
    CONVERTED,
    /** Matched, but the socket already was of the target protocol. */
    ALREADY_CONVERTED,
    /** Matched, could not be converted, stays TCP ({@link Fallback#TCP}). */
    FELL_BACK
  }

  /** The socket's descriptor, looked up only when a rule matches. */
  @FunctionalInterface
  interface Descriptor {
    int fd() throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(SocketPolicy.class);
  private static final InetAddress LOOPBACK_V4 = literal(new byte[] {127, 0, 0, 1});
  private static final InetAddress LOOPBACK_V6 =
      literal(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

  private final RuleMatcher matcher;
  private final Protocol protocol;
  private final Fallback fallback;
  private final ProtocolAvailability availability;
  private final Statistics stats;
  private final DebugLog debug;
  private final Consumer<String> warnings;
  /** Rule index and cause of each WARN already written: one per rule and cause, not per socket. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  SocketPolicy(RuleMatcher matcher, Protocol protocol, Fallback fallback,
      ProtocolAvailability availability, Statistics stats, DebugLog debug,
      Consumer<String> warnings) {
    this.matcher = matcher;
    this.protocol = protocol;
    this.fallback = fallback;
    this.availability = availability;
    this.stats = stats;
    this.debug = debug;
    this.warnings = warnings;
  }

  /** Before a bind to {@code local} as given by the application (null already made a wildcard). */
  Outcome beforeBind(InetSocketAddress local, Descriptor fd, Object owner) throws IOException {
    return decide(Action.BIND, local.getAddress(), local.getPort(), false, fd, owner);
  }

  /** Before a connect to {@code remote}; {@code bound}: the socket is already bound. */
  Outcome beforeConnect(InetSocketAddress remote, boolean bound, Descriptor fd, Object owner)
      throws IOException {
    return decide(Action.CONNECT, remote.getAddress(), remote.getPort(), bound, fd, owner);
  }

  /**
   * Judges one bind or connect and acts on it.
   *
   * @param address the local address of a bind or the remote one of a connect, as given
   * @param port 0..65535
   * @param bound whether the socket is already bound (then nothing is judged)
   * @param descriptor the socket's descriptor, asked for only when a rule matches
   * @param owner the object whose closing ends the socket (Socket, ServerSocket, Channel or
   *     FileDescriptor) for the count of open sockets; null when there is none
   * @throws IOException only under {@link Fallback#FAIL}, when a matched socket cannot be
   *     converted; the message names the rule, the protocol and the errno
   */
  Outcome decide(Action action, InetAddress address, int port, boolean bound,
      Descriptor descriptor, Object owner) throws IOException {
    if (bound) {
      return Outcome.NOT_CHECKED;
    }
    InetAddress checked = action == Action.CONNECT && address.isAnyLocalAddress()
        ? (address instanceof Inet4Address ? LOOPBACK_V4 : LOOPBACK_V6)
        : address;
    stats.checked(action);
    Rule rule = matcher.firstMatch(action, checked, port);
    if (rule == null) {
      stats.noMatch();
      // Most decisions end here, so the text is only made when someone reads it.
      if (debug.enabled() || LOG.isTraceEnabled()) {
        String subject = DebugLog.subject(action.name(), checked, port);
        debug.line(subject, "no match");
        LOG.trace("{}: no rule matches", subject);
      }
      return Outcome.NO_MATCH;
    }
    String subject = DebugLog.subject(action.name(), checked, port);
    stats.matched(rule);
    if (protocol == Protocol.TCP) {
      stats.dryRun(owner);
      debug.line(subject, "dry run: rule line " + rule.position().line() + " matched; socket stays TCP");
      if (LOG.isTraceEnabled()) {
        LOG.trace("{}: {} matched; dry run, socket stays TCP", subject, ConfigText.describe(rule));
      }
      return Outcome.DRY_RUN;
    }
    int fd;
    int family;
    try {
      fd = descriptor.fd();
      family = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_DOMAIN);
    } catch (IOException e) {
      return cannotConvert(action, subject, rule, new Problem(false, e), owner);
    }
    if (protocol == Protocol.SDP && family == Libc.AF_INET_SDP) {
      return alreadyConverted(subject, rule);
    }
    if (family == Libc.AF_INET || family == Libc.AF_INET6) {
      ProtocolAvailability.Result probe = availability.probe(protocol, family);
      if (!probe.available()) {
        return cannotConvert(action, subject, rule, new Problem(true, probe.failure()), owner);
      }
    } // any other family: the converter refuses it with a message that says why
    boolean replaced;
    try {
      replaced = SocketConverter.convert(fd, protocol);
    } catch (IOException e) {
      return cannotConvert(action, subject, rule, new Problem(false, e), owner);
    }
    if (!replaced) {
      return alreadyConverted(subject, rule);
    }
    stats.converted(rule, protocol, owner);
    debug.line(subject, "socket converted to " + protocol + " protocol");
    if (LOG.isTraceEnabled()) {
      LOG.trace("{}: {} matched; fd {} converted to {}", subject, ConfigText.describe(rule), fd, protocol);
    }
    return Outcome.CONVERTED;
  }

  private Outcome alreadyConverted(String subject, Rule rule) {
    debug.line(subject, "socket already uses " + protocol + " protocol");
    if (LOG.isTraceEnabled()) {
      LOG.trace("{}: {} matched; the socket already uses {}", subject, ConfigText.describe(rule), protocol);
    }
    return Outcome.ALREADY_CONVERTED;
  }

  private Outcome cannotConvert(Action action, String subject, Rule rule, Problem problem,
      Object owner) throws IOException {
    if (fallback == Fallback.FAIL) {
      stats.failed(rule);
      debug.line(subject, problem.brief(protocol) + "; " + action.keyword() + " fails");
      String message = "Rule line " + rule.position().line() + " '" + ConfigText.ruleText(rule)
          + "' matched " + subject + " but " + problem.detail(protocol);
      LOG.trace("{}", message);
      throw new SocketException(message, problem.cause());
    }
    stats.fellBack(rule, owner);
    debug.line(subject, problem.brief(protocol) + "; socket stays TCP");
    if (warned.add(rule.index() + "/" + problem.key())) {
      warnings.accept(problem.warning(protocol, rule));
    }
    if (LOG.isTraceEnabled()) {
      LOG.trace("{}: {} matched; {}; socket stays TCP", subject, ConfigText.describe(rule),
          problem.detail(protocol));
    }
    return Outcome.FELL_BACK;
  }

  /**
   * Why a matched socket was not converted.
   *
   * @param unavailable the kernel has no such protocol (the probe failed); else the conversion
   *     of this socket failed
   */
  private record Problem(boolean unavailable, IOException cause) {
    private String errnoName() {
      return cause instanceof NativeCallException n ? n.errnoName() : null;
    }

    /** For deduplicating WARNs: one per rule and cause. */
    String key() {
      String errno = errnoName();
      return (unavailable ? "unavailable/" : "failed/") + (errno != null ? errno : cause.getClass().getName());
    }

    /** For the debug line: {@code SDP not available: EAFNOSUPPORT}. */
    String brief(Protocol protocol) {
      String errno = errnoName();
      if (unavailable) {
        return protocol + " not available: " + errno;
      }
      return "conversion to " + protocol + " failed" + (errno != null ? ": " + errno : "");
    }

    /** For the exception: {@code SDP is not available: EAFNOSUPPORT (Address family ...)}. */
    String detail(Protocol protocol) {
      if (unavailable && cause instanceof NativeCallException n) {
        return protocol + " is not available: " + n.errnoName() + " (" + n.errnoDescription() + ")";
      }
      return "the conversion to " + protocol + " failed: " + cause.getMessage();
    }

    String warning(Protocol protocol, Rule rule) {
      if (unavailable && cause instanceof NativeCallException n) {
        return protocol + " not available (" + n.errnoName() + ": " + n.errnoDescription() + ") for "
            + ConfigText.describe(rule) + "; sockets stay TCP. " + advice(protocol);
      }
      return "Conversion to " + protocol + " failed for " + ConfigText.describe(rule) + " ("
          + cause.getMessage() + "); such sockets stay TCP. Set -Dsdpshim.fallback=fail to make "
          + "their bind or connect fail instead";
    }

    private static String advice(Protocol protocol) {
      return switch (protocol) {
        case SDP -> "Load the kernel's SDP support (ib_sdp) or set -Dsdpshim.protocol=mptcp|tcp";
        case MPTCP -> "Enable Multipath TCP in the kernel (Linux 5.6+, sysctl net.mptcp.enabled=1)"
            + " or set -Dsdpshim.protocol=sdp|tcp";
        case TCP -> "";
      };
    }
  }

  private static InetAddress literal(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
