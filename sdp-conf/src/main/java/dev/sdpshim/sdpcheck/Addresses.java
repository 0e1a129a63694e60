package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.AddressBlock;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Addresses as people write them: IPv6 in the RFC 5952 form ({@code 2001:db8::1}, not Java's
 * {@code 2001:db8:0:0:0:0:0:1}), without scope, so that output can be pasted back into a config.
 */
final class Addresses {
  private Addresses() {}

  static String format(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    // The longest run of two or more zero groups becomes "::"; on a tie, the first.
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j);
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  /** {@code 10.0.0.0/8}; a block of one address is written as the address alone. */
  static String format(AddressBlock block) {
    boolean host = block.prefixLength() == (block.isIpv4() ? 32 : 128);
    return host ? format(block.network()) : format(block.network()) + "/" + block.prefixLength();
  }
}
