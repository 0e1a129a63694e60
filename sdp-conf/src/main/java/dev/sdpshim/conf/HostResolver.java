package dev.sdpshim.conf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

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
    /** The definition; {@link #isDottedQuad} is the fast equivalent the parser uses (a test checks they agree). */
    static final Pattern DOTTED_QUAD =
        Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /**
     * Whether the JDK takes {@code host} as a literal without any lookup: a colon makes it an IPv6
     * literal attempt (never a name), and a strict dotted quad is always parsed numerically. The
     * empty string is the JDK's loopback address, also without a lookup.
     */
    static boolean isLiteral(String host) {
      return host.isEmpty() || host.indexOf(':') >= 0 || isDottedQuad(host);
    }

    /**
     * {@link #DOTTED_QUAD} by hand: four decimal octets 0..255 without leading zeros, ASCII
     * digits only. A regex match costs more than the rest of a rule's parsing on large files.
     */
    static boolean isDottedQuad(String s) {
      int octets = 0;
      int i = 0;
      int n = s.length();
      while (true) {
        int start = i;
        int value = 0;
        while (i < n && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          value = value * 10 + (s.charAt(i) - '0');
          i++;
        }
        int digits = i - start;
        if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
          return false;
        }
        octets++;
        if (octets == 4) {
          return i == n;
        }
        if (i >= n || s.charAt(i) != '.') {
          return false;
        }
        i++;
      }
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
