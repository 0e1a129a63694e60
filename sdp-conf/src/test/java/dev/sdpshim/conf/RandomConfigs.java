package dev.sdpshim.conf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;

/**
 * Random rule sets and probes that crowd the interesting cases together: overlapping prefixes
 * drawn from a few shared networks, both families, open, reversed and out-of-range port ranges,
 * and probe ports on range edges.
 */
final class RandomConfigs {
  private final Random random;
  private final byte[][] v4Nets;
  private final byte[][] v6Nets;

  RandomConfigs(long seed) {
    random = new Random(seed);
    v4Nets = new byte[6][];
    v6Nets = new byte[4][];
    for (int i = 0; i < v4Nets.length; i++) {
      v4Nets[i] = randomBytes(4);
    }
    for (int i = 0; i < v6Nets.length; i++) {
      v6Nets[i] = randomBytes(16);
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A rule set of {@code n} valid rule lines, one per line. */
  String rules(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(random.nextInt(20) == 0 ? "BIND" : random.nextBoolean() ? "bind" : "connect").append(' ')
          .append(address()).append(' ').append(ports()).append('\n');
    }
    return sb.toString();
  }

  private String address() {
    int kind = random.nextInt(10);
    if (kind == 0) {
      return "*";
    }
    boolean v4 = kind < 7;
    byte[] base = (v4 ? v4Nets : v6Nets)[random.nextInt(v4 ? v4Nets.length : v6Nets.length)].clone();
    int bits = base.length * 8;
    // Perturb the low bits so that prefixes of one network nest and overlap.
    for (int i = 0; i < random.nextInt(3); i++) {
      int bit = bits - 1 - random.nextInt(Math.min(bits, 24));
      base[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
    }
    String literal = literal(base);
    if (random.nextInt(4) == 0) {
      return literal;
    }
    int prefix = 1 + random.nextInt(bits);
    return literal + "/" + prefix;
  }

  private String ports() {
    switch (random.nextInt(9)) {
      case 0:
        return "*";
      case 1:
        return Integer.toString(edgyPort());
      case 2:
        return edgyPort() + "-";
      case 3:
        return "-" + edgyPort();
      case 4:
        return edgyPort() + "-*";
      case 5:
        return "70000";
      default:
        int a = edgyPort();
        int b = edgyPort();
        return random.nextInt(8) == 0 ? Math.max(a, b) + "-" + Math.min(a, b) : Math.min(a, b) + "-" + Math.max(a, b);
    }
  }

  int edgyPort() {
    int[] edges = {0, 1, 79, 80, 81, 1023, 1024, 1025, 5000, 65534, 65535};
    return random.nextInt(3) == 0 ? random.nextInt(65536) : edges[random.nextInt(edges.length)];
  }

  Action action() {
    return random.nextBoolean() ? Action.BIND : Action.CONNECT;
  }

  /** An address near one of the shared networks, or anywhere. */
  InetAddress probeAddress() {
    boolean v4 = random.nextInt(10) < 6;
    byte[] b;
    if (random.nextInt(5) == 0) {
      b = randomBytes(v4 ? 4 : 16);
    } else {
      b = (v4 ? v4Nets : v6Nets)[random.nextInt(v4 ? v4Nets.length : v6Nets.length)].clone();
      int bits = b.length * 8;
      for (int i = 0; i < random.nextInt(4); i++) {
        int bit = bits - 1 - random.nextInt(Math.min(bits, 40));
        b[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
      }
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static String literal(byte[] b) {
    try {
      return InetAddress.getByAddress(b).getHostAddress();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A line of random tokens, valid and not: the grammar's edges and plain junk. */
  String junkLine() {
    String[] tokens = {"bind", "connect", "CONNECT", "accept", "*", "10.0.0.1", "10.0.0.0/8", "10.0.0.0/0", "10.0.0.0/33",
        "::1", "::/0", "fe80::/10", "/8", "1.2.3.4/", "+80", "80-", "-80", "80-20", "1-2-3", "70000", "#", "# c", "\u00a0",
        "\t", "  ", "\uFEFF", "\u0668\u0660", "x", "-", "--", "**", "0x7f.1", "[::1]", "::ffff:1.2.3.4", "\u0000", "99999999999",
        "1.2.3.4/+8", "*-*", "b\u0130nd", "1024-*"};
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      sb.append(tokens[random.nextInt(tokens.length)]);
      sb.append(random.nextInt(5) == 0 ? "" : " ");
    }
    return sb.toString();
  }

  Random random() {
    return random;
  }
}
