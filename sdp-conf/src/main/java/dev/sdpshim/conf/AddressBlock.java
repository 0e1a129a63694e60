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

  private AddressBlock(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /** The block of {@code address}'s first {@code prefixLength} bits; host bits are cleared. */
  public static AddressBlock of(InetAddress address, int prefixLength) {
    byte[] bytes = address.getAddress();
    if (prefixLength < 0 || prefixLength > bytes.length * 8) {
      throw new IllegalArgumentException("prefix " + prefixLength + " out of range for " + address);
    }
    return new AddressBlock(mask(bytes, prefixLength), prefixLength);
  }

  /** The block holding exactly {@code address}. */
  public static AddressBlock host(InetAddress address) {
    return of(address, address.getAddress().length * 8);
  }

  static byte[] mask(byte[] bytes, int prefixLength) {
    byte[] out = bytes.clone();
    for (int bit = prefixLength; bit < out.length * 8; bit++) {
      out[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
    }
    return out;
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
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && samePrefix(bytes);
  }

  /** Whether every address of {@code other} lies in this block. */
  public boolean covers(AddressBlock other) {
    return other.network.length == network.length
        && other.prefixLength >= prefixLength
        && samePrefix(other.network);
  }

  /**
   * The block of this block's first {@code length} bits, {@code length <= prefixLength()}; the
   * same as {@code of(network(), length)} without creating an InetAddress on the way. The overlap
   * analysis asks for this once per prefix length in use for every rule of a file.
   */
  AddressBlock truncate(int length) {
    if (length < 0 || length > prefixLength) {
      throw new IllegalArgumentException("cannot widen /" + prefixLength + " to /" + length);
    }
    return length == prefixLength ? this : new AddressBlock(mask(network, length), length);
  }

  /** Whether the first {@code prefixLength} bits of {@code bytes} equal the network's; allocates nothing. */
  private boolean samePrefix(byte[] bytes) {
    int whole = prefixLength >>> 3;
    for (int i = 0; i < whole; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength & 7;
    if (rest == 0) {
      return true;
    }
    int m = (0xFF00 >>> rest) & 0xFF;
    return (bytes[whole] & m) == (network[whole] & 0xFF);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressBlock b && b.prefixLength == prefixLength && Arrays.equals(b.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
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
