package dev.sdpshim.shim;

import java.util.Locale;
import java.util.Optional;

/** The transport a TCP socket can be converted to. */
public enum Protocol {
  /**
   * Sockets Direct Protocol (InfiniBand). OFED's SDP used its own family for IPv4 and IPv6 peers
   * alike and kept the IP socket address formats, which is why the family does not depend on the
   * original one.
   */
  SDP(family -> Optional.of(
      new SocketCall(Libc.AF_INET_SDP, Libc.SOCK_STREAM, Libc.IPPROTO_IP))),

  /** Multipath TCP: same family, same addresses, a different protocol number. */
  MPTCP(family -> Optional.of(new SocketCall(family, Libc.SOCK_STREAM, Libc.IPPROTO_MPTCP))),

  /** Plain TCP: nothing to convert. Lets rules be evaluated and logged as a dry run. */
  TCP(family -> Optional.empty());

  private final ReplacementSocket replacement;

  Protocol(ReplacementSocket replacement) {
    this.replacement = replacement;
  }

  ReplacementSocket replacement() {
    return replacement;
  }

  /** Parses a property value ({@code sdp}, {@code mptcp} or {@code tcp}, any case). */
  static Protocol parse(String value, String property) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "sdp" -> SDP;
      case "mptcp" -> MPTCP;
      case "tcp" -> TCP;
      default -> throw new InvalidConfigException("Invalid value '" + value + "' for -D" + property
          + ": expected sdp (AF_INET_SDP, the default), mptcp (IPPROTO_MPTCP) or tcp (dry run:"
          + " match and count, convert nothing)");
    };
  }
}
