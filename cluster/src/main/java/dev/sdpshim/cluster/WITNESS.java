package dev.sdpshim.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Event;
import org.jgroups.Header;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.annotations.MBean;
import org.jgroups.annotations.Property;
import org.jgroups.conf.AttributeType;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coherence-style witnesses before a member is removed; takes VERIFY_SUSPECT2's place, between
 * the failure detectors (FD_SOCK2, FD_ALL3) and GMS.
 *
 * <p>When a failure detector suspects a member, the accuser probes the suspect itself and asks
 * up to two <em>witnesses</em> (other members not under suspicion, on other machines first)
 * whether they still reach it; each witness probes the suspect and answers.
 * <ul>
 *   <li>The accuser reaches the suspect after all (it was paused, say): the suspicion is
 *       withdrawn.</li>
 *   <li>A witness cannot reach it either: the departure is confirmed and SUSPECT goes up to GMS.
 *       A participant's GMS only records a suspicion (it acts only if it would itself become
 *       coordinator), so the accuser also sends the confirmation to the member that decides: the
 *       coordinator, or, when the suspect is the coordinator, the next in line, which takes over
 *       as JGroups' GMS does when it suspects the coordinator. That member trusts it (two members
 *       could not reach the suspect; that it still reaches the suspect itself only shows that the
 *       partition is partial, and a member part of the cluster cannot reach cannot take part in
 *       its reliable delivery) and passes SUSPECT up to its GMS, which removes the suspect.</li>
 *   <li>Every witness that answered reaches it: the accuser is the one cut off. The suspect
 *       stays; the accuser tells {@link #onCutOff its owner}, which leaves and rejoins.</li>
 *   <li>No witness answers within {@code response_timeout} (the accuser reaches nobody, or
 *       there is nobody to ask): the suspicion goes up, as without witnesses; if the accuser was
 *       isolated it ends as a one-member island, which PANIC makes rejoin.</li>
 * </ul>
 * A probe is a message to the suspect repeated every {@value #PROBE_REPEAT_MS} ms; it counts as
 * reaching the suspect when its answer arrives within {@code probe_timeout}. A member answers
 * probes only from members of its own view.
 *
 * <p>A departure is confirmed (and sent on) once per {@code response_timeout}: suspicions of it
 * in between are not checked again, a second confirmation reaching the deciding member is a
 * duplicate. If the suspect is still a member after that, the failure detector's next suspicion
 * starts a new round, so a lost confirmation is sent again, backed by fresh witnesses. When the
 * deciding member changes before the suspect is gone (the coordinator left), the confirmation is
 * sent to the new one at once. Confirmations from non-members, about non-members or about the
 * receiver itself, and those that reach a member that does not decide, are dropped.
 */
@MBean(description = "Confirms a suspicion with witnesses before the suspect is removed")
public class WITNESS extends Protocol {
  static final short ID = 1701;
  static final long PROBE_REPEAT_MS = 100;
  private static final int WITNESSES = 2;
  private static final Logger LOG = LoggerFactory.getLogger(WITNESS.class);

  static {
    ClassConfigurator.addProtocol(ID, WITNESS.class);
    ClassConfigurator.add(WitnessHeader.MAGIC, WitnessHeader.class);
  }

  @Property(description = "How long a probe waits for the suspect's answer", type = AttributeType.TIME)
  protected long probe_timeout = 300;

  @Property(description = "How long the accuser waits for the witnesses' answers", type = AttributeType.TIME)
  protected long response_timeout = 1000;

  private final Map<Address, Accusation> accusations = new HashMap<>();
  private final Map<Address, Probe> probes = new HashMap<>();
  /** Departures this member confirmed or was told of, until the suspect leaves the view. */
  private final Map<Address, Departure> departures = new HashMap<>();
  private volatile View view;
  private volatile Consumer<Member> cutOffHandler = suspect -> { };
  /** Cut off or leaving: suspicions are no longer acted on. */
  private volatile boolean cutOff;

  /** Called (on a timer thread; hand long work to another) when this member is the one cut off. */
  public WITNESS onCutOff(Consumer<Member> handler) {
    this.cutOffHandler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public Object down(Event evt) {
    if (evt.getType() == Event.DISCONNECT) {
      cutOff = true; // leaving anyway: whoever it loses sight of on the way out is no news
    }
    if (evt.getType() == Event.VIEW_CHANGE) {
      View v = evt.getArg();
      List<Departure> redirected;
      synchronized (this) { // with the view: a departure reported meanwhile sees both or neither
        view = v;
        accusations.keySet().removeIf(a -> !v.containsMember(a));
        departures.keySet().removeIf(a -> !v.containsMember(a));
        redirected = departures.values().stream()
            .filter(d -> d.forward && !Objects.equals(d.decider, decider(v, d.suspect))).toList();
      }
      if (!redirected.isEmpty()) {
        // Not on GMS's thread, which is installing this view: handing SUSPECT back to GMS can wait.
        getTransport().getTimer().execute(() -> redirected.forEach(this::forward));
      }
    }
    return down_prot.down(evt);
  }

  @Override
  public Object up(Event evt) {
    if (evt.getType() == Event.SUSPECT) {
      Collection<Address> suspects = evt.getArg();
      if (suspects != null) {
        accuse(suspects);
      }
      return null; // passed up only once confirmed
    }
    if (evt.getType() == Event.UNSUSPECT) {
      synchronized (this) {
        departures.remove((Address) evt.getArg()); // heard again: a new suspicion is checked anew
      }
    }
    return up_prot.up(evt);
  }

  @Override
  public Object up(Message msg) {
    WitnessHeader hdr = msg.getHeader(ID);
    if (hdr == null) {
      return up_prot.up(msg);
    }
    handle(hdr, msg.getSrc());
    return null;
  }

  @Override
  public void up(MessageBatch batch) {
    for (Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
      Message msg = it.next();
      WitnessHeader hdr = msg.getHeader(ID);
      if (hdr != null) {
        it.remove();
        handle(hdr, msg.getSrc());
      }
    }
    if (!batch.isEmpty()) {
      up_prot.up(batch);
    }
  }

  @Override
  public void stop() {
    synchronized (this) {
      accusations.clear();
      probes.clear();
      departures.clear();
    }
    super.stop();
  }

  private void handle(WitnessHeader hdr, Address sender) {
    switch (hdr.type) {
      case WitnessHeader.PROBE -> {
        // Only a member is told it reaches this one: a member this one's view has dropped must
        // find out it is out, not be reassured (it then ends as an island that PANIC resolves).
        View v = view;
        if (v != null && v.containsMember(sender)) {
          send(sender, new WitnessHeader(WitnessHeader.PROBE_ACK, local_addr, false));
        }
      }
      case WitnessHeader.PROBE_ACK -> probeAnswered(sender);
      case WitnessHeader.CONFIRM_REQ -> probe(hdr.suspect, reached -> {
        LOG.debug("{}: asked by {} whether {} is reachable: {}", self(), Member.of(sender),
            Member.of(hdr.suspect), reached ? "yes" : "no");
        send(sender, new WitnessHeader(WitnessHeader.CONFIRM_RSP, hdr.suspect, reached));
      });
      case WitnessHeader.CONFIRM_RSP -> witnessAnswered(hdr.suspect, sender, hdr.reachable);
      case WitnessHeader.CONFIRMED -> departureReported(hdr.suspect, sender, hdr.confirmedBy);
      default -> LOG.warn("{}: unknown WITNESS message type {} from {}", self(), hdr.type, sender);
    }
  }

  // ---- the accuser ----

  private void accuse(Collection<Address> suspects) {
    View v = view;
    if (v == null || cutOff) {
      return;
    }
    List<Accusation> started = new ArrayList<>();
    synchronized (this) {
      for (Address suspect : suspects) {
        if (!suspect.equals(local_addr) && v.containsMember(suspect) && !accusations.containsKey(suspect)
            && !recentlyConfirmed(suspect)) {
          Accusation a = new Accusation(suspect);
          accusations.put(suspect, a);
          started.add(a);
        }
      }
      for (Accusation a : started) {
        a.witnesses.addAll(witnesses(v, a.suspect));
      }
    }
    for (Accusation a : started) {
      if (a.witnesses.isEmpty()) {
        LOG.warn("Timeout while delivering a packet; no other member can witness, verifying {} directly",
            Member.of(a.suspect));
      } else {
        LOG.warn("Timeout while delivering a packet; requesting the departure confirmation for {} by {}",
            Member.of(a.suspect), Member.memberSet(a.witnesses));
        for (Address w : a.witnesses) {
          send(w, new WitnessHeader(WitnessHeader.CONFIRM_REQ, a.suspect, false));
        }
      }
      probe(a.suspect, reached -> selfProbed(a.suspect, reached));
      getTransport().getTimer().schedule(() -> timedOut(a), response_timeout, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Up to two members other than this one and those under suspicion, on other machines first,
   * then in view order (seniors first).
   */
  private List<Address> witnesses(View v, Address suspect) {
    String ownHost = host(local_addr);
    List<Address> candidates = new ArrayList<>();
    for (Address m : v.getMembers()) {
      if (!m.equals(local_addr) && !m.equals(suspect) && !accusations.containsKey(m)) {
        candidates.add(m);
      }
    }
    candidates.sort(Comparator.comparing((Address m) -> Objects.equals(host(m), ownHost)));
    return candidates.subList(0, Math.min(WITNESSES, candidates.size()));
  }

  private void selfProbed(Address suspect, boolean reached) {
    Accusation a;
    synchronized (this) {
      a = accusations.get(suspect);
      if (a == null) {
        return;
      }
      if (reached) {
        accusations.remove(suspect);
      } else {
        a.selfFailed = true;
      }
    }
    if (reached) {
      LOG.info("{} answers again; suspicion withdrawn", Member.of(suspect));
      down_prot.down(new Event(Event.UNSUSPECT, suspect));
      up_prot.up(new Event(Event.UNSUSPECT, suspect));
    } else {
      decide(a);
    }
  }

  private void witnessAnswered(Address suspect, Address witness, boolean reachable) {
    Accusation a;
    synchronized (this) {
      a = accusations.get(suspect);
      if (a == null || !a.witnesses.contains(witness)) {
        return;
      }
      (reachable ? a.reaching : a.notReaching).add(witness);
    }
    decide(a);
  }

  private void timedOut(Accusation a) {
    synchronized (this) {
      if (accusations.get(a.suspect) != a) {
        return; // decided; a later accusation of the same suspect has its own time
      }
      a.expired = true;
    }
    decide(a);
  }

  /** Acts once the accuser's own probe failed and the witnesses said enough (or time ran out). */
  private void decide(Accusation a) {
    String outcome;
    synchronized (this) {
      if (accusations.get(a.suspect) != a || !a.selfFailed) {
        return;
      }
      boolean allAnswered = a.reaching.size() + a.notReaching.size() == a.witnesses.size();
      if (!a.notReaching.isEmpty() || a.witnesses.isEmpty() || (a.expired && a.reaching.isEmpty())) {
        outcome = "confirmed";
      } else if (!a.reaching.isEmpty() && (allAnswered || a.expired)) {
        outcome = "cut-off";
      } else {
        return;
      }
      accusations.remove(a.suspect);
    }
    Member suspect = Member.of(a.suspect);
    if (outcome.equals("confirmed")) {
      if (a.witnesses.isEmpty()) {
        LOG.warn("{} does not answer and no other member can witness; removing it", suspect);
      } else if (a.notReaching.isEmpty()) {
        LOG.warn("No witness answered about {}; removing it", suspect);
      } else {
        confirmed(a.suspect, List.copyOf(a.notReaching));
        return;
      }
      up_prot.up(new Event(Event.SUSPECT, List.of(a.suspect)));
    } else {
      cutOff = true;
      LOG.error("{} is still reached by {}: this member ({}) is the one cut off; leaving the cluster to rejoin",
          suspect, Member.memberSet(a.reaching), self());
      cutOffHandler.accept(suspect);
    }
  }

  // ---- a confirmed departure: carried out by the member that decides ----

  /**
   * This member's suspicion of {@code suspect} is confirmed by {@code witnesses}. SUSPECT goes up
   * here in any case (GMS records it, and acts if this member is or would be coordinator); if
   * another member decides, the confirmation goes to it too.
   */
  private void confirmed(Address suspect, List<Address> witnesses) {
    Departure d = new Departure(suspect, witnesses, true);
    Address decider;
    synchronized (this) {
      departures.put(suspect, d);
      decider = d.decider = decider(view, suspect);
    }
    up_prot.up(new Event(Event.SUSPECT, List.of(suspect)));
    if (decider == null || decider.equals(local_addr)) {
      LOG.warn("Member departure confirmed by {}; removing {}", Member.memberSet(witnesses), Member.of(suspect));
    } else {
      LOG.warn("Member departure confirmed by {}; asking {} to remove {}", Member.memberSet(witnesses),
          Member.of(decider), Member.of(suspect));
      send(decider, d);
    }
  }

  /** The member that decides changed (the coordinator left) before the suspect was removed. */
  private void forward(Departure d) {
    Address decider;
    synchronized (this) {
      if (departures.get(d.suspect) != d) {
        return;
      }
      decider = d.decider = decider(view, d.suspect);
    }
    if (local_addr.equals(decider)) {
      LOG.warn("Member departure confirmed by {}; this member decides now; removing {}",
          Member.memberSet(d.confirmedBy), Member.of(d.suspect));
      up_prot.up(new Event(Event.SUSPECT, List.of(d.suspect)));
    } else if (decider != null) {
      LOG.info("Asking {} to remove {}, whose departure {} confirmed (the deciding member changed)",
          Member.of(decider), Member.of(d.suspect), Member.memberSet(d.confirmedBy));
      send(decider, d);
    }
  }

  private void send(Address decider, Departure d) {
    send(decider, new WitnessHeader(WitnessHeader.CONFIRMED, d.suspect, false, d.confirmedBy));
  }

  /** {@code accuser}'s suspicion of {@code suspect} was confirmed by {@code witnesses}. */
  private void departureReported(Address suspect, Address accuser, List<Address> witnesses) {
    if (suspect == null || accuser == null) {
      LOG.debug("{}: ignoring a departure confirmation without a suspect from {}", self(), accuser);
      return;
    }
    String ignored;
    synchronized (this) {
      View v = view;
      Address decider = decider(v, suspect);
      ignored = cutOff ? "this member is leaving"
          : v == null || !v.containsMember(accuser) ? "the sender is not a member"
          : !v.containsMember(suspect) ? "it is no longer a member"
          : suspect.equals(local_addr) ? "it is this member"
          : witnesses.isEmpty() || witnesses.contains(suspect) || witnesses.contains(accuser)
              ? "no other member confirmed it"
          : decider == null ? "no member is left to decide"
          : !local_addr.equals(decider) ? "this member does not decide, " + Member.of(decider) + " does"
          : recentlyConfirmed(suspect) ? "already being removed"
          : null;
      if (ignored == null) {
        departures.put(suspect, new Departure(suspect, witnesses, false));
      }
    }
    List<Address> confirmers = new ArrayList<>(List.of(accuser));
    confirmers.addAll(witnesses);
    if (ignored != null) {
      LOG.debug("{}: ignoring the departure of {} confirmed by {}: {}", self(), Member.of(suspect),
          Member.memberSet(confirmers), ignored);
      return;
    }
    LOG.warn("Member departure confirmed by {}; removing {}", Member.memberSet(confirmers), Member.of(suspect));
    up_prot.up(new Event(Event.SUSPECT, List.of(suspect)));
  }

  /**
   * The member whose GMS acts on a suspicion of {@code suspect}: the first of the view (the
   * oldest) that is neither the suspect nor suspected by this member — the coordinator, or
   * whoever would take its place, as JGroups' GMS decides who takes over.
   */
  private Address decider(View v, Address suspect) {
    if (v == null) {
      return null;
    }
    for (Address m : v.getMembers()) {
      if (!m.equals(suspect) && !accusations.containsKey(m) && !departures.containsKey(m)) {
        return m;
      }
    }
    return null;
  }

  /** Whether a departure of {@code suspect} was confirmed less than {@code response_timeout} ago. */
  private boolean recentlyConfirmed(Address suspect) {
    Departure d = departures.get(suspect);
    return d != null && System.nanoTime() - d.since < TimeUnit.MILLISECONDS.toNanos(response_timeout);
  }

  // ---- probes (accuser and witness alike) ----

  private void probe(Address suspect, Consumer<Boolean> done) {
    Probe p;
    synchronized (this) {
      p = probes.get(suspect);
      if (p != null) {
        p.waiting.add(done);
        return;
      }
      p = new Probe(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(probe_timeout));
      p.waiting.add(done);
      probes.put(suspect, p);
    }
    sendProbe(suspect, p);
  }

  private void sendProbe(Address suspect, Probe p) {
    synchronized (this) {
      if (probes.get(suspect) != p) {
        return; // answered
      }
      if (System.nanoTime() - p.deadline >= 0) {
        probes.remove(suspect);
      } else {
        send(suspect, new WitnessHeader(WitnessHeader.PROBE, suspect, false));
        long next = Math.min(PROBE_REPEAT_MS, TimeUnit.NANOSECONDS.toMillis(p.deadline - System.nanoTime()) + 1);
        getTransport().getTimer().schedule(() -> sendProbe(suspect, p), next, TimeUnit.MILLISECONDS);
        return;
      }
    }
    p.waiting.forEach(c -> c.accept(false));
  }

  private void probeAnswered(Address suspect) {
    Probe p;
    synchronized (this) {
      p = probes.remove(suspect);
    }
    if (p != null) {
      p.waiting.forEach(c -> c.accept(true));
    }
  }

  // ---- helpers ----

  private void send(Address dest, WitnessHeader hdr) {
    Message msg = new EmptyMessage(dest).putHeader(ID, hdr)
        .setFlag(Message.Flag.OOB, Message.Flag.NO_RELIABILITY, Message.Flag.DONT_BUNDLE)
        .setFlag(Message.TransientFlag.DONT_BLOCK);
    down_prot.down(msg);
  }

  private String host(Address member) {
    Object physical = down_prot.down(new Event(Event.GET_PHYSICAL_ADDRESS, member));
    return physical instanceof IpAddress ip ? ip.getIpAddress().getHostAddress() : null;
  }

  private Member self() {
    return Member.of(local_addr);
  }

  /** One suspicion being checked. Guarded by the protocol's lock. */
  private static final class Accusation {
    final Address suspect;
    final List<Address> witnesses = new ArrayList<>();
    final Set<Address> reaching = new HashSet<>();
    final Set<Address> notReaching = new HashSet<>();
    boolean selfFailed;
    boolean expired;

    Accusation(Address suspect) {
      this.suspect = suspect;
    }
  }

  /** A confirmed departure, until the suspect leaves the view. Guarded by the protocol's lock. */
  private static final class Departure {
    final Address suspect;
    final List<Address> confirmedBy;
    /** Confirmed by this member's own witnesses, so sent to whoever decides (else reported to it). */
    final boolean forward;
    final long since = System.nanoTime();
    Address decider;

    Departure(Address suspect, List<Address> confirmedBy, boolean forward) {
      this.suspect = suspect;
      this.confirmedBy = confirmedBy;
      this.forward = forward;
    }
  }

  /** Probes of one member in flight, shared by the accuser's own check and witness requests. */
  private static final class Probe {
    final long deadline;
    final List<Consumer<Boolean>> waiting = new ArrayList<>();

    Probe(long deadline) {
      this.deadline = deadline;
    }
  }

  /**
   * WITNESS's messages: probes and their answers, confirmation requests and responses, and a
   * confirmed departure sent to the member that decides.
   */
  public static final class WitnessHeader extends Header {
    static final short MAGIC = 1701;
    static final byte PROBE = 1;
    static final byte PROBE_ACK = 2;
    static final byte CONFIRM_REQ = 3;
    static final byte CONFIRM_RSP = 4;
    static final byte CONFIRMED = 5;

    byte type;
    Address suspect;
    boolean reachable;
    /** CONFIRMED: the witnesses that could not reach the suspect either. */
    List<Address> confirmedBy = List.of();

    public WitnessHeader() {
    }

    WitnessHeader(byte type, Address suspect, boolean reachable) {
      this(type, suspect, reachable, List.of());
    }

    WitnessHeader(byte type, Address suspect, boolean reachable, List<Address> confirmedBy) {
      this.type = type;
      this.suspect = suspect;
      this.reachable = reachable;
      this.confirmedBy = confirmedBy;
    }

    @Override
    public short getMagicId() {
      return MAGIC;
    }

    @Override
    public java.util.function.Supplier<? extends Header> create() {
      return WitnessHeader::new;
    }

    @Override
    public int serializedSize() {
      return Byte.BYTES + Util.size(suspect) + Byte.BYTES + Util.size(confirmedBy);
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
      out.writeByte(type);
      Util.writeAddress(suspect, out);
      out.writeBoolean(reachable);
      Util.writeAddresses(confirmedBy, out);
    }

    @Override
    public void readFrom(DataInput in) throws IOException, ClassNotFoundException {
      type = in.readByte();
      suspect = Util.readAddress(in);
      reachable = in.readBoolean();
      Collection<Address> read = Util.readAddresses(in, ArrayList::new);
      if (read != null && read.contains(null)) {
        throw new IOException("WITNESS header of type " + type + ": a witness without an address");
      }
      confirmedBy = read == null ? List.of() : List.copyOf(read);
    }

    @Override
    public String toString() {
      return "WITNESS[type=" + type + ", suspect=" + suspect + ", reachable=" + reachable + ", confirmedBy="
          + confirmedBy + "]";
    }
  }
}
