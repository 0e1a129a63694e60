package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compiled matcher answers exactly what the linear scan answers (the same first rule), on
 * random files crowded with overlaps: every prefix length, both families, '*' addresses, host
 * names with several addresses, odd and empty port ranges, and probes at range edges.
 */
class MatcherEquivalenceTest {
  private static final String[] PORTS = {"*", "80", "1024-*", "-1023", "5000-5100", "70000", "80-20", "0", "65535",
      "1-65535", "100-200", "150-250", "0-0", "65535-*", "-0", "200-100000"};
  private static final int[] PROBE_PORTS = {0, 1, 19, 20, 79, 80, 81, 99, 100, 150, 200, 201, 250, 251, 1023, 1024,
      5000, 5100, 5101, 65534, 65535};

  /** Resolves hostN to up to three addresses of both families in the same small space as the literals. */
  private static final HostResolver HOSTS = new HostResolver() {
    @Override
    public List<InetAddress> resolveAll(String host) throws UnknownHostException {
      if (!host.startsWith("host")) {
        return HostResolver.offline().resolveAll(host);
      }
      int n = Integer.parseInt(host.substring(4));
      List<InetAddress> all = new ArrayList<>();
      all.add(InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, (byte) (n & 3), (byte) n}));
      if (n % 2 == 0) {
        all.add(InetAddress.getByName("fe80::" + Integer.toHexString(n)));
      }
      if (n % 3 == 0) {
        all.add(InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, (byte) (n + 1)}));
      }
      return all;
    }

    @Override
    public InetAddress resolveFirst(String host) throws UnknownHostException {
      List<InetAddress> all = resolveAll(host);
      return all.isEmpty() ? null : all.get(0);
    }
  };

  /** 40 rules crowded into a few addresses, every prefix length. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void crowdedFiles(long seed) throws UnknownHostException {
    Random r = new Random(seed);
    check(r, 40, () -> switch (r.nextInt(10)) {
      case 0 -> "*";
      case 1, 2, 3 -> "192.168." + r.nextInt(4) + "." + r.nextInt(8) + (r.nextBoolean() ? "/" + (1 + r.nextInt(32)) : "");
      case 4, 5 -> "fe80::" + Integer.toHexString(r.nextInt(16)) + (r.nextBoolean() ? "/" + (1 + r.nextInt(128)) : "");
      case 6 -> "host" + r.nextInt(12);
      case 7 -> "10." + r.nextInt(2) + ".0.0/" + (1 + r.nextInt(32));
      default -> "192.168." + r.nextInt(4) + ".0/" + (16 + r.nextInt(17));
    }, () -> {
      if (r.nextInt(3) == 0) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xfe;
        b[1] = (byte) 0x80;
        b[15] = (byte) r.nextInt(20);
        if (r.nextInt(10) == 0) {
          b[2] = (byte) r.nextInt(256);
        }
        return b;
      }
      return r.nextInt(4) == 0 ? new byte[] {10, (byte) r.nextInt(3), (byte) r.nextInt(2), (byte) r.nextInt(256)}
          : new byte[] {(byte) 192, (byte) 168, (byte) r.nextInt(5), (byte) r.nextInt(10)};
    }, 5);
  }

  /** 5000 rules spread over 4096 IPv4 and 4096 IPv6 addresses, mostly hosts and long prefixes. */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void largeSparseFiles(long seed) throws UnknownHostException {
    Random r = new Random(seed);
    check(r, 5000, () -> switch (r.nextInt(20)) {
      case 0 -> r.nextInt(10) == 0 ? "*" : "10.0.0.0/" + (12 + r.nextInt(8));
      case 1, 2, 3, 4 -> "fe80::" + Integer.toHexString(r.nextInt(4096)) + (r.nextInt(3) == 0 ? "/" + (124 + r.nextInt(5)) : "");
      case 5 -> "host" + r.nextInt(200);
      default -> "10.0." + r.nextInt(16) + "." + r.nextInt(256) + (r.nextInt(4) == 0 ? "/" + (28 + r.nextInt(5)) : "");
    }, () -> {
      if (r.nextInt(3) == 0) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xfe;
        b[1] = (byte) 0x80;
        int n = r.nextInt(4200);
        b[14] = (byte) (n >>> 8);
        b[15] = (byte) n;
        return b;
      }
      return new byte[] {10, 0, (byte) r.nextInt(17), (byte) r.nextInt(256)};
    }, 500);
  }

  private static void check(Random r, int count, java.util.function.Supplier<String> addresses,
      java.util.function.Supplier<byte[]> probes, int minDistinct) throws UnknownHostException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String address = addresses.get();
      String ports = PORTS[r.nextInt(PORTS.length)];
      if (count > 40 && (address.equals("*") || address.startsWith("10.0.0.0/"))) {
        ports = "100-200"; // else one rule would answer nearly every probe
      }
      text.append(r.nextInt(3) == 0 ? "bind " : "connect ").append(address).append(' ').append(ports).append('\n');
    }
    SdpConfig config = SdpConfigParser.defaults().withResolver(HOSTS).parse(text.toString(), "random");
    assertEquals(count, config.rules().size(), () -> config.diagnostics().toString());
    RuleMatcher compiled = config.compile();
    RuleMatcher linear = RuleMatcher.linearScan(config.rules());
    int hits = 0;
    Set<Integer> matched = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      InetAddress address = InetAddress.getByAddress(probes.get());
      int port = r.nextBoolean() ? PROBE_PORTS[r.nextInt(PROBE_PORTS.length)] : r.nextInt(65536);
      Action action = r.nextBoolean() ? Action.BIND : Action.CONNECT;
      Rule expected = linear.firstMatch(action, address, port);
      assertEquals(expected, compiled.firstMatch(action, address, port), () -> action + " " + address + " " + port);
      if (expected != null) {
        hits++;
        matched.add(expected.index());
      }
    }
    assertTrue(hits > 1000 && hits < 19_000, "hits " + hits);
    assertTrue(matched.size() >= minDistinct, "distinct first matches " + matched.size());
  }
}
