package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Action;
import dev.sdpshim.conf.AddressBlock;
import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.SdpConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks bind rules against this host. A bind rule only converts binds to addresses the host has,
 * so one for an address no interface carries never fires here (SDP201); and SDP only runs over
 * InfiniBand, so one for an address on Ethernet or loopback cannot work (SDP202). Wildcard binds
 * ({@code *}, 0.0.0.0, ::) are skipped: they are about every interface, not one.
 *
 * <p>The interfaces are listed once, on the first bind rule, and shared by all files of a run.
 */
final class HostChecks {
  /** ARPHRD_INFINIBAND in linux/if_arp.h: the type of IPoIB interfaces and their child interfaces. */
  static final int ARPHRD_INFINIBAND = 32;
  private static final int LISTED = 4;

  private final LocalInterfaces source;
  private final Path sysfsNet;
  private List<LocalInterface> interfaces;
  private boolean unavailable;
  private final Map<String, OptionalInt> types = new HashMap<>();

  HostChecks(LocalInterfaces source, Path sysfsNet) {
    this.source = source;
    this.sysfsNet = sysfsNet;
  }

  /**
   * The host findings for {@code config}'s bind rules. Throws, once per instance, when the
   * interfaces cannot be listed; from then on it finds nothing, as guessing would mislead.
   */
  List<Diagnostic> check(SdpConfig config) throws IOException {
    List<Diagnostic> out = new ArrayList<>();
    if (unavailable) {
      return out;
    }
    for (Rule rule : config.rules()) {
      if (rule.action() != Action.BIND || rule.address().matchesAnyAddress() || !rule.address().isResolved()
          || rule.ports().neverMatches()) {
        continue;
      }
      checkRule(rule, out);
    }
    return out;
  }

  private void checkRule(Rule rule, List<Diagnostic> out) throws IOException {
    List<AddressBlock> blocks = new ArrayList<>();
    for (AddressBlock block : rule.address().blocks()) {
      if (!containsWildcard(block)) {
        blocks.add(block);
      }
    }
    if (blocks.isEmpty()) {
      return;
    }
    Map<InetAddress, LocalInterface> local = localAddressesIn(blocks);
    if (local.isEmpty()) {
      out.add(new Diagnostic(Code.SDP201, rule.position(), describeMissing(blocks), false, ""));
      return;
    }
    boolean anyKnownType = false;
    for (LocalInterface ni : local.values()) {
      OptionalInt type = type(ni.name());
      if (type.isEmpty()) {
        continue;
      }
      anyKnownType = true;
      if (type.getAsInt() == ARPHRD_INFINIBAND) {
        return;
      }
    }
    // Without sysfs (not Linux, or a container hiding it) the link type is unknown: say nothing.
    if (anyKnownType) {
      out.add(new Diagnostic(Code.SDP202, rule.position(), describeNotInfiniband(local), false, ""));
    }
  }

  private static boolean containsWildcard(AddressBlock block) {
    byte[] zeros = new byte[block.isIpv4() ? 4 : 16];
    try {
      return block.contains(InetAddress.getByAddress(zeros));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** This host's addresses inside {@code blocks}, each with its interface, in interface order. */
  private Map<InetAddress, LocalInterface> localAddressesIn(List<AddressBlock> blocks) throws IOException {
    if (interfaces == null) {
      try {
        interfaces = source.list();
      } catch (IOException | RuntimeException e) {
        unavailable = true;
        throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
      }
    }
    Map<InetAddress, LocalInterface> found = new LinkedHashMap<>();
    for (LocalInterface ni : interfaces) {
      for (InetAddress a : ni.addresses()) {
        for (AddressBlock b : blocks) {
          if (b.contains(a)) {
            found.putIfAbsent(a, ni);
          }
        }
      }
    }
    return found;
  }

  /** The link type from {@code /sys/class/net/IF/type}; empty when it cannot be read. */
  private OptionalInt type(String name) {
    return types.computeIfAbsent(name, n -> {
      try {
        String text = new String(Files.readAllBytes(sysfsNet.resolve(n).resolve("type")), StandardCharsets.US_ASCII);
        return OptionalInt.of(Integer.parseInt(text.strip()));
      } catch (IOException | NumberFormatException | InvalidPathException e) {
        return OptionalInt.empty();
      }
    });
  }

  private static String describeMissing(List<AddressBlock> blocks) {
    String has = blocks.size() > 1 ? "any of these addresses" : isHost(blocks.get(0)) ? "this address" : "an address in it";
    return "bind rule for " + list(blocks) + ": no interface of this host has " + has
        + ", so the rule never converts a bind here; check the address, or whether this file belongs on this host";
  }

  private String describeNotInfiniband(Map<InetAddress, LocalInterface> local) {
    Set<String> parts = new LinkedHashSet<>();
    for (Map.Entry<InetAddress, LocalInterface> e : local.entrySet()) {
      String name = e.getValue().name();
      OptionalInt type = type(name);
      parts.add(Addresses.format(e.getKey()) + " is on " + name
          + (type.isPresent() ? " (" + typeName(type.getAsInt()) + ", type " + type.getAsInt() + ")" : ""));
      if (parts.size() == LISTED) {
        break;
      }
    }
    return String.join(", ", parts) + ": not an InfiniBand (IPoIB, type 32) interface, so SDP cannot carry these sockets;"
        + " bind to the address of the IPoIB interface (e.g. ib0) instead";
  }

  private static boolean isHost(AddressBlock b) {
    return b.prefixLength() == (b.isIpv4() ? 32 : 128);
  }

  private static String list(List<AddressBlock> blocks) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(blocks.size(), LISTED); i++) {
      AddressBlock b = blocks.get(i);
      sb.append(i == 0 ? "" : ", ").append(isHost(b) ? Addresses.format(b.network()) : Addresses.format(b));
    }
    return blocks.size() > LISTED ? sb + ", \u2026" : sb.toString();
  }

  /** Names for the link types (linux/if_arp.h) an operator is likely to meet. */
  static String typeName(int type) {
    switch (type) {
      case 1:
        return "Ethernet";
      case 32:
        return "InfiniBand";
      case 772:
        return "loopback";
      case 776:
        return "IPv6-in-IPv4 tunnel";
      case 778:
        return "GRE tunnel";
      case 65534:
        return "no link layer, e.g. tun or WireGuard";
      default:
        return "link type";
    }
  }
}
