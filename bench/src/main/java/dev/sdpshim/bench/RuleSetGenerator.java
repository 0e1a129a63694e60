package dev.sdpshim.bench;

import dev.sdpshim.conf.Action;
import dev.sdpshim.conf.AddressBlock;
import dev.sdpshim.conf.HostResolver;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.RuleMatcher;
import dev.sdpshim.conf.SdpConfigParser;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Deterministic {@code com.sun.sdp.conf} files shaped like an InfiniBand site's, and probes to
 * look up in them.
 *
 * <p>The site: IPoIB partitions live in 10.128.0.0/10 (64 /16s); the Ethernet and management side
 * is the rest of 10/8 and 192.168/16; IPv6 partitions are /64s under fd00:5d9::/32. A file of
 * {@code n} rules is, in shuffled order, mostly {@code connect} rules for single hosts (a bare
 * literal or {@code /32}) with the ports of common services, about 5% {@code /24} and a handful of
 * {@code /16} subnets with port ranges such as {@code 1024-*} or {@code 5000-5100}, about 3%
 * {@code bind} rules, about 2% IPv6 rules, and from 100 rules on one or two {@code *} rules with a
 * narrow port (perftest's 18515). Only address literals: parsing needs no DNS, and the JDK's own
 * provider loads the same file. A comment line precedes every 100 rules.
 *
 * <p>The same {@code (count, seed)} gives the same text on every JDK ({@link Random}'s algorithm is
 * specified).
 */
public final class RuleSetGenerator {
  /** The seed the benchmarks use. */
  public static final long SEED = 0x5D9_2026L;

  private static final int[] SERVICE_PORTS = {
      5432, 3306, 6379, 9092, 2181, 8020, 9000, 50010, 27017, 11211, 9042, 8080, 1521, 5672, 2049, 7077};
  private static final String[] HOST_RANGES = {"1024-*", "5000-5100", "8000-8100", "30000-40000", "-1023", "7077-7080"};
  private static final String[] SUBNET_RANGES = {"1024-*", "5000-5100", "8000-8999", "*", "20000-30000", "9000-9100"};
  private static final String[] WIDE_SUBNET_RANGES = {"5000-5100", "9000-9100", "7000-7010", "50000-50100"};
  private static final int PERFTEST_PORT = 18515;
  /** The /24s of the IPoIB range 10.128.0.0/10. */
  private static final int IB_NETS = 1 << 14;

  /** The text of a generated file and how many rules of each kind it has. */
  public record RuleSet(String text, int count, int hosts, int subnets24, int subnets16, int binds, int ipv6, int anyAddress) {}

  private final Random random;

  public RuleSetGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** The parser the benchmarks use: literals only, never DNS. */
  public static SdpConfigParser offlineParser() {
    return SdpConfigParser.defaults().withResolver(HostResolver.offline());
  }

  /** {@code count} rules with the benchmarks' seed. */
  public static RuleSet generate(int count) {
    return new RuleSetGenerator(SEED).rules(count);
  }

  /** A file of exactly {@code count} rules (count >= 1). */
  public RuleSet rules(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    int anyAddress = count >= 1000 ? 2 : count >= 100 ? 1 : 0;
    int subnets16 = Math.max(1, Math.min(16, count / 5000));
    int subnets24 = Math.max(1, Math.round(count * 0.05f));
    int binds = Math.max(1, Math.round(count * 0.03f));
    int ipv6 = Math.max(1, Math.round(count * 0.02f));
    if (count < 10) {
      anyAddress = subnets16 = subnets24 = binds = ipv6 = 0;
    }
    int hosts = count - anyAddress - subnets16 - subnets24 - binds - ipv6;
    // Hosts crowd into a few /24s (about ten ruled hosts each), as racks do; subnet rules may be anywhere.
    int hostNets = Math.max(4, Math.min(IB_NETS, count / 10));

    Set<String> used = new HashSet<>();
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < hosts; i++) {
      String address = unique(used, "connect ", () -> ib4(random.nextInt(hostNets), 1 + random.nextInt(254)) + (random.nextInt(10) == 0 ? "/32" : ""));
      lines.add(address + " " + hostPorts());
    }
    for (int i = 0; i < subnets24; i++) {
      lines.add(unique(used, "connect ", () -> ib4(random.nextInt(IB_NETS), 0) + "/24") + " " + pick(SUBNET_RANGES));
    }
    for (int i = 0; i < subnets16; i++) {
      lines.add(unique(used, "connect ", () -> "10." + (128 + random.nextInt(64)) + ".0.0/16") + " " + pick(WIDE_SUBNET_RANGES));
    }
    for (int i = 0; i < binds; i++) {
      boolean subnet = random.nextInt(4) == 0;
      String address = unique(used, "bind ", () -> subnet ? ib4(random.nextInt(hostNets), 0) + "/24" : ib4(random.nextInt(hostNets), 1 + random.nextInt(254)));
      lines.add(address + " " + (random.nextBoolean() ? "5000-5100" : "1024-*"));
    }
    for (int i = 0; i < ipv6; i++) {
      boolean subnet = random.nextInt(4) == 0;
      String action = random.nextInt(10) == 0 ? "bind " : "connect ";
      String address = unique(used, action, () -> subnet ? ib6(random.nextInt(4096), 0) + "/64" : ib6(random.nextInt(64), 1 + random.nextInt(0xffff)));
      lines.add(address + " " + (subnet ? pick(SUBNET_RANGES) : hostPorts()));
    }
    if (anyAddress >= 1) {
      lines.add("connect * " + PERFTEST_PORT);
    }
    if (anyAddress >= 2) {
      lines.add("bind * " + PERFTEST_PORT + "-" + (PERFTEST_PORT + 5));
    }
    Collections.shuffle(lines, random);

    StringBuilder text = new StringBuilder(count * 32 + 200);
    text.append("# ").append(count).append(" rules made by dev.sdpshim.bench.RuleSetGenerator\n");
    for (int i = 0; i < lines.size(); i++) {
      if (i % 100 == 0) {
        text.append("\n# rack ").append(i / 100).append('\n');
      }
      text.append(lines.get(i)).append('\n');
    }
    return new RuleSet(text.toString(), count, hosts, subnets24, subnets16, binds, ipv6, anyAddress);
  }

  /**
   * Host {@code host} of the {@code net}-th /24 (0..16383) of 10.128.0.0/10; an odd multiplier
   * scatters consecutive numbers over the 64 /16s.
   */
  private static String ib4(int net, int host) {
    int n = (net * 40503) & (IB_NETS - 1);
    return "10." + (128 + (n >>> 8)) + "." + (n & 0xff) + "." + host;
  }

  /** {@code fd00:5d9:PART::HOST}, PART from 0x1000; {@code fd00:5d9:PART::} when host is 0. */
  private static String ib6(int partition, int host) {
    return "fd00:5d9:" + Integer.toHexString(0x1000 + partition) + "::" + (host == 0 ? "" : Integer.toHexString(host));
  }

  private String hostPorts() {
    int r = random.nextInt(100);
    if (r < 25) {
      return "*";
    }
    if (r < 70) {
      return Integer.toString(SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)]);
    }
    return pick(HOST_RANGES);
  }

  private String pick(String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** {@code action} and a candidate address not used with that action before. */
  private static String unique(Set<String> used, String action, Supplier<String> candidate) {
    for (int attempt = 0; attempt < 1_000_000; attempt++) {
      String s = action + candidate.get();
      if (used.add(s.replace("/32", ""))) {
        return s;
      }
    }
    throw new IllegalStateException("address space exhausted");
  }

  // ---------------------------------------------------------------------------------------------
  // Probes

  /**
   * {@code count} lookups (a power of two), in random order: half are built to hit (an address
   * and port inside a rule chosen uniformly from the file, so the first match is spread over the
   * whole file), half to miss: near misses (a ruled host with another port, a neighbour of a ruled
   * host) and far ones (Ethernet side, IPv6). A candidate miss is kept only when {@code oracle}
   * finds no rule for it; tests check the linear scan agrees.
   */
  public static Probes probes(List<Rule> rules, RuleMatcher oracle, int count, long seed) {
    if (Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("probe count must be a power of two: " + count);
    }
    List<Rule> usable = new ArrayList<>();
    for (Rule r : rules) {
      if (!r.ports().neverMatches() && (r.address().matchesAnyAddress() || !r.address().blocks().isEmpty())) {
        usable.add(r);
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("no rule can match anything");
    }
    Random random = new Random(seed);
    Action[] actions = new Action[count];
    InetAddress[] addresses = new InetAddress[count];
    int[] ports = new int[count];
    boolean[] hits = new boolean[count];
    int hitCount = count / 2;
    for (int i = 0; i < hitCount; i++) {
      Rule r = usable.get(random.nextInt(usable.size()));
      actions[i] = r.action();
      addresses[i] = r.address().matchesAnyAddress() ? farAddress(random) : inside(r.address().blocks().get(random.nextInt(r.address().blocks().size())), random);
      ports[i] = portIn(r, random);
      hits[i] = true;
    }
    int attempts = 0;
    for (int i = hitCount; i < count; ) {
      if (++attempts > 1000 * count) {
        throw new IllegalStateException("cannot find enough misses; is there a catch-all rule?");
      }
      Action action = random.nextInt(10) == 0 ? Action.BIND : Action.CONNECT;
      InetAddress address;
      int port = random.nextInt(65536);
      int kind = random.nextInt(10);
      if (kind < 5) {
        Rule r = usable.get(random.nextInt(usable.size()));
        if (r.address().matchesAnyAddress()) {
          continue;
        }
        AddressBlock b = r.address().blocks().get(0);
        // kind 0-1: the ruled address itself with another port; 2-4: a neighbour in its /24 or /64.
        address = kind < 2 ? inside(b, random) : inside(AddressBlock.of(b.network(), b.isIpv4() ? 24 : 64), random);
        action = r.action();
      } else {
        address = farAddress(random);
      }
      if (oracle.firstMatch(action, address, port) == null) {
        actions[i] = action;
        addresses[i] = address;
        ports[i] = port;
        i++;
      }
    }
    // Shuffle all four arrays alike so that hits and misses interleave unpredictably.
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Action a = actions[i];
      actions[i] = actions[j];
      actions[j] = a;
      InetAddress x = addresses[i];
      addresses[i] = addresses[j];
      addresses[j] = x;
      int p = ports[i];
      ports[i] = ports[j];
      ports[j] = p;
      boolean h = hits[i];
      hits[i] = hits[j];
      hits[j] = h;
    }
    return new Probes(actions, addresses, ports, hits);
  }

  private static int portIn(Rule r, Random random) {
    int lo = Math.max(0, r.ports().low());
    int hi = Math.min(65535, r.ports().high());
    return lo + random.nextInt(hi - lo + 1);
  }

  /** A random address in {@code block}. */
  static InetAddress inside(AddressBlock block, Random random) {
    byte[] net = block.network().getAddress();
    byte[] noise = new byte[net.length];
    random.nextBytes(noise);
    int prefix = block.prefixLength();
    for (int bit = prefix; bit < net.length * 8; bit++) {
      int mask = 0x80 >>> (bit & 7);
      net[bit >>> 3] = (byte) ((net[bit >>> 3] & ~mask) | (noise[bit >>> 3] & mask));
    }
    return address(net);
  }

  /** Ethernet or management side (IPv4), or an IPv6 address outside the partitions. */
  private static InetAddress farAddress(Random random) {
    int k = random.nextInt(10);
    if (k == 0) {
      byte[] b = new byte[16];
      random.nextBytes(b);
      b[0] = (byte) 0xfd;
      b[1] = 0x01;
      return address(b);
    }
    if (k < 3) {
      return address(new byte[] {(byte) 192, (byte) 168, (byte) random.nextInt(256), (byte) (1 + random.nextInt(254))});
    }
    return address(new byte[] {10, (byte) random.nextInt(128), (byte) random.nextInt(256), (byte) (1 + random.nextInt(254))});
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
