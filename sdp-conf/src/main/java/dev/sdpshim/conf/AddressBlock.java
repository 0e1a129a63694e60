package dev.sdpshim.conf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One address prefix a rule matches: an IPv4 or IPv6 network of {@code prefixLength} bits. As in
 * the JDK, a block only matches addresses of its own length: an IPv4 block never matches an IPv6
 * address (IPv4-mapped ones included) and vice versa.
 */
public final class AddressBlock {
  private final byte[] network;
  private final int prefixLength;
  /** Cached: blocks are hash keys in the linter and the matcher builder, 100 000s at a time. */
  private final int hash;

  /** Takes ownership of {@code network}, whose host bits must be clear. */
  private AddressBlock(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
    int h = prefixLength;
    for (byte b : network) {
      h = h * 0x01000193 ^ (b & 0xff);
    }
    // Spread the bits: IPv4 networks differ mostly in their middle bytes.
    h *= 0x9E3779B9;
    this.hash = h ^ (h >>> 15);
  }

  /** The block of {@code address}'s first {@code prefixLength} bits; host bits are cleared. */
  public static AddressBlock of(InetAddress address, int prefixLength) {
    byte[] bytes = address.getAddress();
    if (prefixLength < 0 || prefixLength > bytes.length * 8) {
      throw new IllegalArgumentException("prefix " + prefixLength + " out of range for " + address);
    }
    clearHostBits(bytes, prefixLength);
    return new AddressBlock(bytes, prefixLength);
  }

  /**
   * The block of this block's first {@code length} bits, {@code 0 <= length <= prefixLength()};
   * what {@code of(network(), length)} gives, without building an InetAddress.
   */
  AddressBlock truncate(int length) {
    if (length < 0 || length > prefixLength) {
      throw new IllegalArgumentException("prefix " + length + " longer than " + this);
    }
    return length == prefixLength ? this : new AddressBlock(mask(network, length), length);
  }

  /** The block holding exactly {@code address}. */
  public static AddressBlock host(InetAddress address) {
    return of(address, address.getAddress().length * 8);
  }

  static byte[] mask(byte[] bytes, int prefixLength) {
    byte[] out = bytes.clone();
    clearHostBits(out, prefixLength);
    return out;
  }

  private static void clearHostBits(byte[] bytes, int prefixLength) {
    int full = prefixLength >>> 3;
    if (full < bytes.length) {
      bytes[full] &= (byte) (0xff00 >>> (prefixLength & 7));
      for (int i = full + 1; i < bytes.length; i++) {
        bytes[i] = 0;
      }
    }
  }

  /** Whether the first {@code prefixLength} bits of {@code a} and {@code b} (same length) are equal. */
  private static boolean samePrefix(byte[] a, byte[] b, int prefixLength) {
    int full = prefixLength >>> 3;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = prefixLength & 7;
    if (rest == 0) {
      return true;
    }
    int m = (0xff00 >>> rest) & 0xff;
    return ((a[full] ^ b[full]) & m) == 0;
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  public int prefixLength() {
    return prefixLength;
  }

  /** The network address (host bits cleared). */
  public InetAddress network() {
    try {
      return InetAddress.getByAddress(network);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always a valid address", e);
    }
  }

  byte[] networkBytes() {
    return network;
  }

  /** Whether {@code address} lies in this block (same family length and same leading bits). */
  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /** {@link #contains(InetAddress)} for the address's raw bytes (4 or 16 of them). */
  boolean contains(byte[] address) {
    return address.length == network.length && samePrefix(address, network, prefixLength);
  }

  /** Whether every address of {@code other} lies in this block. */
  public boolean covers(AddressBlock other) {
    return other.network.length == network.length
        && other.prefixLength >= prefixLength
        && samePrefix(other.network, network, prefixLength);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressBlock b && b.hash == hash && b.prefixLength == prefixLength && Arrays.equals(b.network, network);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** {@code 192.168.0.0/24}, {@code fe80:0:0:0:0:0:0:0/64}. */
  @Override
  public String toString() {
    String host = network().getHostAddress();
    return host + "/" + prefixLength;
  }

  static boolean isIpv4(InetAddress address) {
    return address instanceof Inet4Address;
  }
}
