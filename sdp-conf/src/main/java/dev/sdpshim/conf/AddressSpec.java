package dev.sdpshim.conf;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The address field of a rule: {@code *}, an IP literal (with or without {@code /prefix}), or a
 * host name with the addresses it resolved to when the file was loaded.
 */
public final class AddressSpec {
  /** What the address field was. */
  public enum Kind {
    /** {@code *}: every address of both families. */
    ANY,
    /** An IPv4 or IPv6 literal, optionally with a prefix. */
    LITERAL,
    /** A host name, resolved once at load time (or left unresolved in offline mode). */
    HOSTNAME
  }

  private static final AddressSpec ANY_ADDRESS = new AddressSpec(Kind.ANY, "*", List.of(), true);

  private final Kind kind;
  private final String text;
  private final List<AddressBlock> blocks;
  private final boolean resolved;

  private AddressSpec(Kind kind, String text, List<AddressBlock> blocks, boolean resolved) {
    this.kind = kind;
    this.text = text;
    this.blocks = List.copyOf(blocks);
    this.resolved = resolved;
  }

  public static AddressSpec any() {
    return ANY_ADDRESS;
  }

  public static AddressSpec literal(String text, AddressBlock block) {
    return new AddressSpec(Kind.LITERAL, text, List.of(block), true);
  }

  public static AddressSpec hostname(String text, List<AddressBlock> blocks) {
    return new AddressSpec(Kind.HOSTNAME, text, blocks, true);
  }

  /** A host name that was deliberately not resolved (offline parsing); it matches nothing. */
  public static AddressSpec unresolvedHostname(String text) {
    return new AddressSpec(Kind.HOSTNAME, text, List.of(), false);
  }

  public Kind kind() {
    return kind;
  }

  /** The field as written in the file. */
  public String text() {
    return text;
  }

  /** The blocks this spec matches; empty for {@code *} (which matches everything) and unresolved names. */
  public List<AddressBlock> blocks() {
    return blocks;
  }

  public boolean matchesAnyAddress() {
    return kind == Kind.ANY;
  }

  /** False only for a host name left unresolved by an offline parse. */
  public boolean isResolved() {
    return resolved;
  }

  /** Whether some block is IPv6 (only meaningful for resolved specs). */
  public boolean hasIpv6() {
    for (AddressBlock b : blocks) {
      if (!b.isIpv4()) {
        return true;
      }
    }
    return false;
  }

  /** The runtime view: {@code *}, or the blocks separated by commas. */
  public String normalized() {
    if (kind == Kind.ANY) {
      return "*";
    }
    if (!resolved) {
      return text + " (unresolved)";
    }
    return blocks.stream().map(AddressBlock::toString).collect(Collectors.joining(","));
  }

  @Override
  public String toString() {
    return text;
  }
}
