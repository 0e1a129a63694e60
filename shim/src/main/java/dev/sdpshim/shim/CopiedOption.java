package dev.sdpshim.shim;

import java.util.Arrays;

/**
 * The socket options a conversion carries over from the application's socket to its replacement.
 * The JDK's own SDP conversion copied only the first four and silently dropped the rest.
 *
 * <p>An option is copied only when the old socket's value differs from the replacement's fresh
 * value: what the application never touched stays at the new protocol's default, and an option
 * the new protocol does not support fails the conversion only if the application had set it
 * (MPTCP, for one, refuses SO_OOBINLINE with EOPNOTSUPP; urgent data would not work there).
 * When the replacement cannot even report an option (MPTCP and IPV6_TCLASS), its value is taken
 * to be the kernel's default if that is a fixed "off" (all zeros); options whose defaults come
 * from sysctls (buffer sizes, keep-alive timing) are then set and may fail the conversion.
 */
enum CopiedOption {
  SO_REUSEADDR(Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1, Scope.ANY, Default.OFF),
  SO_REUSEPORT(Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, Scope.ANY, Default.OFF),
  SO_OOBINLINE(Libc.SOL_SOCKET, Libc.SO_OOBINLINE, 1, Scope.ANY, Default.OFF),
  /** struct linger { int l_onoff; int l_linger; }. */
  SO_LINGER(Libc.SOL_SOCKET, Libc.SO_LINGER, 2, Scope.ANY, Default.OFF),
  SO_RCVBUF(Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1, Scope.ANY, Default.SYSCTL) {
    @Override
    int[] toSet(int[] read) {
      return halved(read);
    }
  },
  SO_SNDBUF(Libc.SOL_SOCKET, Libc.SO_SNDBUF, 1, Scope.ANY, Default.SYSCTL) {
    @Override
    int[] toSet(int[] read) {
      return halved(read);
    }
  },
  SO_KEEPALIVE(Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, 1, Scope.ANY, Default.OFF),
  TCP_NODELAY(Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1, Scope.ANY, Default.OFF),
  // The three below are jdk.net.ExtendedSocketOptions' TCP_KEEPIDLE/KEEPINTERVAL/KEEPCOUNT.
  TCP_KEEPIDLE(Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, 1, Scope.ANY, Default.SYSCTL),
  TCP_KEEPINTVL(Libc.IPPROTO_TCP, Libc.TCP_KEEPINTVL, 1, Scope.ANY, Default.SYSCTL),
  TCP_KEEPCNT(Libc.IPPROTO_TCP, Libc.TCP_KEEPCNT, 1, Scope.ANY, Default.SYSCTL),
  /** Socket.setTrafficClass; the JDK sets it on IPv6 sockets too, for IPv4-mapped peers. */
  IP_TOS(Libc.IPPROTO_IP, Libc.IP_TOS, 1, Scope.SAME_FAMILY, Default.OFF),
  IPV6_TCLASS(Libc.IPPROTO_IPV6, Libc.IPV6_TCLASS, 1, Scope.IPV6_ONLY, Default.OFF),
  /** The JDK clears it explicitly so that IPv6 sockets reach IPv4 peers; keep it that way. */
  IPV6_V6ONLY(Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1, Scope.IPV6_ONLY, Default.OFF);

  /** Which conversions an option survives: IP-level options mean nothing to another family. */
  private enum Scope {
    ANY, SAME_FAMILY, IPV6_ONLY
  }

  /** What a fresh socket holds: a fixed "off" (all zeros), or a value set by sysctls. */
  private enum Default {
    OFF, SYSCTL
  }

  private final int level;
  private final int option;
  private final int ints;
  private final Scope scope;
  private final Default initial;

  CopiedOption(int level, int option, int ints, Scope scope, Default initial) {
    this.level = level;
    this.option = option;
    this.ints = ints;
    this.scope = scope;
    this.initial = initial;
  }

  /** Whether this option carries meaning from a socket of {@code from} to one of {@code to}. */
  boolean appliesTo(int fromFamily, int toFamily) {
    return switch (scope) {
      case ANY -> true;
      case SAME_FAMILY -> fromFamily == toFamily;
      case IPV6_ONLY -> fromFamily == Libc.AF_INET6 && toFamily == Libc.AF_INET6;
    };
  }

  /**
   * Copies the option from one descriptor to the other when their values differ.
   *
   * @return whether a value was set on {@code to}
   * @throws NativeCallException if reading {@code from} fails for a reason other than the option
   *     being unknown to it, or if setting {@code to} fails
   */
  boolean copy(int from, int to) throws NativeCallException {
    int[] wanted = readIfSupported(from);
    if (wanted == null || Arrays.equals(wanted, currentValue(to))) {
      return false;
    }
    Libc.setsockopt(to, level, option, toSet(wanted));
    return true;
  }

  /** The value to pass to setsockopt so that getsockopt then returns {@code read}. */
  int[] toSet(int[] read) {
    return read;
  }

  /**
   * Linux doubles SO_RCVBUF/SO_SNDBUF on set (room for its bookkeeping) and reports the doubled
   * value, so setting what was read would double the buffer at every conversion.
   */
  private static int[] halved(int[] read) {
    return new int[] {read[0] / 2};
  }

  /** The replacement's value; its kernel default when it cannot say; null if unknowable. */
  private int[] currentValue(int fd) throws NativeCallException {
    int[] value = readIfSupported(fd);
    return value == null && initial == Default.OFF ? new int[ints] : value;
  }

  /** The option's value, or null when the socket does not know the option at all. */
  private int[] readIfSupported(int fd) throws NativeCallException {
    try {
      return Libc.getsockopt(fd, level, option, ints);
    } catch (NativeCallException e) {
      if (e.errno() == Errno.ENOPROTOOPT || e.errno() == Errno.EOPNOTSUPP) {
        return null;
      }
      throw e;
    }
  }
}
