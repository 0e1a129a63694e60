package dev.sdpshim.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jgroups.Address;
import org.jgroups.stack.AddressGenerator;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.NameCache;

/**
 * One incarnation of a cluster member: its name, and an identity of its own that it keeps until
 * it leaves. A member that rejoins (after a panic, or after it found it was the one cut off)
 * comes back as a new {@code Member}: same name, new id, later join time.
 *
 * <p>The join time travels inside the identity (a JGroups {@link ExtendedUUID} carrying the name
 * and the time the member started joining), so every member knows every other member's join time
 * without asking, and two islands can tell whose senior is older.
 */
public final class Member {
  private static final String NAME_KEY = "name";
  private static final String JOINED_KEY = "joined";

  private final Address address;
  private final String name;
  private final Instant joined;

  private Member(Address address, String name, Instant joined) {
    this.address = address;
    this.name = name;
    this.joined = joined;
  }

  /** A new identity for a member called {@code name}, joining now. */
  static ExtendedUUID newIdentity(String name) {
    ExtendedUUID id = ExtendedUUID.randomUUID(name);
    id.put(NAME_KEY, name.getBytes(StandardCharsets.UTF_8));
    // As decimal text: JGroups prints an ExtendedUUID's values as strings (in thread names, logs).
    id.put(JOINED_KEY, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
    return id;
  }

  /** For a channel of the member called {@code name}: each connect gives it a new identity. */
  static AddressGenerator identities(String name) {
    return new AddressGenerator() {
      @Override
      @SuppressWarnings("deprecation")
      public Address generateAddress() {
        return newIdentity(name);
      }
    };
  }

  /** Members as Coherence's log lines name them: {@code MemberSet(Member(m1), Member(m2))}. */
  static String memberSet(Collection<Address> members) {
    return members.stream().map(Member::of).map(Member::toString)
        .collect(Collectors.joining(", ", "MemberSet(", ")"));
  }

  /** The member behind a JGroups address; one made elsewhere has no join time ({@link Instant#MAX}). */
  static Member of(Address address) {
    Objects.requireNonNull(address, "address");
    String name = null;
    Instant joined = Instant.MAX;
    if (address instanceof ExtendedUUID id) {
      byte[] n = id.get(NAME_KEY);
      byte[] j = id.get(JOINED_KEY);
      name = n == null ? null : new String(n, StandardCharsets.UTF_8);
      joined = j == null ? Instant.MAX : joinTime(new String(j, StandardCharsets.US_ASCII));
    }
    if (name == null) {
      name = Objects.requireNonNullElse(NameCache.get(address), address.toString());
    }
    return new Member(address, name, joined);
  }

  private static Instant joinTime(String millis) {
    try {
      return Instant.ofEpochMilli(Long.parseLong(millis));
    } catch (NumberFormatException e) {
      return Instant.MAX; // not one of ours
    }
  }

  /** The name given to {@link ClusterMember.Builder#name}; shared by all incarnations. */
  public String name() {
    return name;
  }

  /** When this incarnation started to join the cluster. */
  public Instant joined() {
    return joined;
  }

  /** The identity, unique to this incarnation. */
  public String id() {
    return idOf(address);
  }

  /** The identity as text, independent of JGroups' logical-name cache. */
  static String idOf(Address address) {
    return address instanceof org.jgroups.util.UUID uuid ? uuid.toStringLong() : address.toString();
  }

  Address address() {
    return address;
  }

  /** Whether this member is older (joined earlier) than {@code other}; ties broken by identity. */
  boolean isOlderThan(Member other) {
    int byTime = joined.compareTo(other.joined);
    return byTime != 0 ? byTime < 0 : address.compareTo(other.address) < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Member m && m.address.equals(address);
  }

  @Override
  public int hashCode() {
    return address.hashCode();
  }

  /** Coherence's shape: {@code Member(Name=m1, Id=..., Joined=2026-...Z)}. */
  @Override
  public String toString() {
    return "Member(Name=" + name + ", Id=" + id() + ", Joined=" + joined + ")";
  }
}
