package dev.sdpshim.shim;

import java.util.Locale;

/**
 * What happens to a socket that a rule matches when it cannot be converted: the target protocol
 * is missing from the kernel (SDP here: EAFNOSUPPORT), or the conversion itself failed. Set with
 * {@code -Dsdpshim.fallback=tcp|fail} or {@link SdpShim.Builder#fallback(Fallback)}.
 */
public enum Fallback {
  /**
   * The socket stays TCP and the bind or connect goes on. Each rule logs one WARN per cause
   * (not one per socket), and the socket is counted as fallen back.
   */
  TCP,
  /**
   * The bind or connect fails with an {@link java.io.IOException} naming the rule, the protocol
   * and the errno. This is what the JDK did, without the option of carrying on.
   */
  FAIL;

  /** Parses a property value ({@code tcp} or {@code fail}, any case, surrounding blanks ignored). */
  static Fallback parse(String value, String property) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "tcp" -> TCP;
      case "fail" -> FAIL;
      default -> throw new InvalidConfigException("Invalid value '" + value + "' for -D" + property
          + ": expected tcp (keep unconvertible sockets on TCP, the default) or fail (make their"
          + " bind or connect fail)");
    };
  }
}
