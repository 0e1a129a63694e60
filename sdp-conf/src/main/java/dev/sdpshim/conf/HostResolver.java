package dev.sdpshim.conf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the address field of a rule into addresses. The JDK resolves a field without a prefix with
 * {@link InetAddress#getAllByName} (one rule per address) and the part before a {@code /prefix}
 * with {@link InetAddress#getByName} (first address only); {@link #system()} does exactly that.
 */
public interface HostResolver {

  /** Every address of {@code host}; empty means "deliberately not resolved" (offline). */
  List<InetAddress> resolveAll(String host) throws UnknownHostException;

  /** The first address of {@code host}; null means "deliberately not resolved" (offline). */
  InetAddress resolveFirst(String host) throws UnknownHostException;

  /** Resolves like the JDK's provider does, DNS included. */
  static HostResolver system() {
    return SystemResolver.INSTANCE;
  }

  /**
   * Parses IP literals like the JDK but never queries DNS or the hosts file: host names are left
   * unresolved. Only forms that {@link InetAddress} treats as literals without any lookup are
   * parsed: anything with a colon (IPv6) and strict dotted-quad IPv4 without leading zeros.
   */
  static HostResolver offline() {
    return OfflineResolver.INSTANCE;
  }

  /** The JDK's own resolution. */
  final class SystemResolver implements HostResolver {
    static final SystemResolver INSTANCE = new SystemResolver();

    @Override
    public List<InetAddress> resolveAll(String host) throws UnknownHostException {
      return Arrays.asList(InetAddress.getAllByName(host));
    }

    @Override
    public InetAddress resolveFirst(String host) throws UnknownHostException {
      return InetAddress.getByName(host);
    }
  }

  /** Literals only. */
  final class OfflineResolver implements HostResolver {
    static final OfflineResolver INSTANCE = new OfflineResolver();

    /**
     * Whether the JDK takes {@code host} as a literal without any lookup: a colon makes it an IPv6
     * literal attempt (never a name), and a strict dotted quad is always parsed numerically. The
     * empty string is the JDK's loopback address, also without a lookup.
     */
    static boolean isLiteral(String host) {
      return host.isEmpty() || host.indexOf(':') >= 0 || isDottedQuad(host);
    }

    /**
     * Four ASCII decimal numbers 0..255 separated by dots, none with a leading zero: the regex
     * {@code ((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(same)}, written out because it
     * runs once per rule and a regex match costs more than the rest of parsing the address.
     */
    static boolean isDottedQuad(String s) {
      int n = s.length();
      int i = 0;
      for (int part = 0; part < 4; part++) {
        if (part > 0) {
          if (i >= n || s.charAt(i) != '.') {
            return false;
          }
          i++;
        }
        int start = i;
        int value = 0;
        while (i < n && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          value = value * 10 + (s.charAt(i) - '0');
          i++;
        }
        int digits = i - start;
        if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
          return false;
        }
      }
      return i == n;
    }

    @Override
    public List<InetAddress> resolveAll(String host) throws UnknownHostException {
      return isLiteral(host) ? Arrays.asList(InetAddress.getAllByName(host)) : List.of();
    }

    @Override
    public InetAddress resolveFirst(String host) throws UnknownHostException {
      return isLiteral(host) ? InetAddress.getByName(host) : null;
    }
  }
}
