package dev.sdpshim.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Event;
import org.jgroups.Header;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.ViewId;
import org.jgroups.annotations.MBean;
import org.jgroups.annotations.ManagedAttribute;
import org.jgroups.annotations.Property;
import org.jgroups.conf.AttributeType;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coherence-style panic instead of a merge; sits right below GMS (above AUTH).
 *
 * <p>When MERGE3 finds that islands of the cluster see each other again it sends MERGE up; this
 * protocol takes it and never lets GMS merge two histories. It ranks the islands: the larger
 * wins; at equal size, the one whose senior member joined first (a one-member island therefore
 * loses against any larger one). It then tells every member of every losing island, and the
 * winner's senior. Each loser stops its cluster service and hands the {@link Panic} to
 * {@link #onPanic its owner}, which tells the application to discard that island's state and
 * rejoins the winner with a new identity. The ranking is a total order, so whichever
 * coordinator sees the islands first, the winner is the same.
 *
 * <p>While the losers stop, the winner's senior holds join requests, for at most
 * {@code hold_timeout} or until every loser acknowledged the panic, and then lets them through;
 * a loser, from the moment it knows it lost until its channel is closed, refuses every join
 * request (the joiner's GMS tries the next coordinator it discovered), and passes the verdict on
 * to any member that joined its island after the verdict was made: a join never lands in the
 * middle of a panic, nor in a losing island.
 */
@MBean(description = "Resolves a split brain by making the losing islands rejoin, instead of merging")
public class PANIC extends Protocol {
  static final short ID = 1702;
  private static final short GMS_ID = ClassConfigurator.getProtocolId(GMS.class);
  private static final Logger LOG = LoggerFactory.getLogger(PANIC.class);

  static {
    ClassConfigurator.addProtocol(ID, PANIC.class);
    ClassConfigurator.add(PanicHeader.MAGIC, PanicHeader.class);
  }

  @Property(description = "At most how long the winner's senior holds join requests during a panic",
      type = AttributeType.TIME)
  protected long hold_timeout = 1000;

  private volatile View view;
  private volatile Consumer<Panic> panicHandler = panic -> { };
  /** The verdict this member lost by (its losers extended by late joiners), or null. */
  private PanicHeader lost;
  @ManagedAttribute(description = "Join requests refused because this member lost a panic and is stopping")
  private final AtomicLong refusedJoins = new AtomicLong();
  /** Winner's senior only: losers still to acknowledge, and the joins held meanwhile. */
  private final Set<Address> awaitedLosers = new HashSet<>();
  /**
   * Losers that acknowledged, kept: several coordinators may announce the same panic, and an
   * acknowledgement may overtake the announcement. Old identities never come back, so this only
   * grows by the members of each lost island.
   */
  private final Set<Address> acknowledged = new HashSet<>();
  private final List<Message> heldJoins = new ArrayList<>();
  private long holdingUntil;

  /**
   * Called (on a JGroups thread; hand long work to another) when this member's island lost. The
   * handler is to close the channel soon: until then, this member refuses the joins that
   * newcomers, whose discovery still finds it a coordinator, may keep sending it.
   */
  public PANIC onPanic(Consumer<Panic> handler) {
    this.panicHandler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public Object down(Event evt) {
    if (evt.getType() == Event.VIEW_CHANGE) {
      view = evt.getArg();
      tellLateJoiners(view);
    }
    return down_prot.down(evt);
  }

  @Override
  public Object up(Event evt) {
    if (evt.getType() == Event.MERGE) {
      Map<Address, View> views = evt.getArg();
      resolve(views.values());
      return null; // never merge
    }
    return up_prot.up(evt);
  }

  @Override
  public Object up(Message msg) {
    PanicHeader hdr = msg.getHeader(ID);
    if (hdr != null) {
      handle(hdr, msg.getSrc());
      return null;
    }
    if (keptFromGms(msg)) {
      return null;
    }
    return up_prot.up(msg);
  }

  @Override
  public void up(MessageBatch batch) {
    for (Iterator<Message> it = batch.iterator(); it.hasNext(); ) {
      Message msg = it.next();
      PanicHeader hdr = msg.getHeader(ID);
      if (hdr != null) {
        it.remove();
        handle(hdr, msg.getSrc());
      } else if (keptFromGms(msg)) {
        it.remove();
      }
    }
    if (!batch.isEmpty()) {
      up_prot.up(batch);
    }
  }

  @Override
  public void stop() {
    releaseHeldJoins();
    super.stop();
  }

  // ---- deciding ----

  /** One view per island: MERGE3 reports the same view once for each of its members. */
  private static List<View> islands(Collection<View> views) {
    Map<ViewId, View> islands = new LinkedHashMap<>();
    views.forEach(v -> islands.putIfAbsent(v.getViewId(), v));
    return new ArrayList<>(islands.values());
  }

  /** The islands in rank order: the winner first. */
  static List<View> ranked(Collection<View> views) {
    List<View> ranked = islands(views);
    ranked.sort(Comparator.comparingInt(View::size).reversed()
        .thenComparing((a, b) -> Member.of(a.getCoord()).isOlderThan(Member.of(b.getCoord())) ? -1
            : a.getCoord().equals(b.getCoord()) ? 0 : 1));
    return ranked;
  }

  /**
   * Whether some member appears in two of the islands' views. Islands of a real split brain are
   * disjoint; an overlap means a view is stale, e.g. of a member that WITNESS found cut off and
   * that is still leaving, so that its old view still holds everyone. Ranking such views would
   * make the healthy cluster lose against the ghost of its former self; MERGE3 asks again shortly,
   * once the views have settled.
   */
  static boolean overlapping(Collection<View> views) {
    Set<Address> seen = new HashSet<>();
    for (View island : islands(views)) {
      for (Address member : island.getMembers()) {
        if (!seen.add(member)) {
          return true;
        }
      }
    }
    return false;
  }

  private void resolve(Collection<View> views) {
    List<View> ranked = ranked(views);
    if (ranked.size() < 2) {
      return;
    }
    if (overlapping(views)) {
      LOG.info("Islands of cluster '{}' overlap ({}): a member is still leaving or joining; no panic, and"
          + " no merge, until the views settle", getProtocolStack().getChannel().getClusterName(),
          ranked.stream().map(PANIC::island).collect(Collectors.joining(", ")));
      return;
    }
    View winner = ranked.getFirst();
    List<View> losers = ranked.subList(1, ranked.size());
    LOG.warn("Split brain in cluster '{}': {} islands see each other again: {}; the island of {} wins,"
        + " panicking {}", getProtocolStack().getChannel().getClusterName(), ranked.size(),
        ranked.stream().map(PANIC::island).collect(Collectors.joining(", ")),
        Member.of(winner.getCoord()), losers.stream().map(PANIC::island).collect(Collectors.joining(", ")));
    List<Address> allLosers = losers.stream().flatMap(v -> v.getMembers().stream()).toList();
    send(winner.getCoord(), new PanicHeader(PanicHeader.PANIC, winner.getCoord(), winner.size(),
        winner.getCoord(), winner.size(), allLosers));
    for (View loser : losers) {
      PanicHeader hdr = new PanicHeader(PanicHeader.PANIC, winner.getCoord(), winner.size(),
          loser.getCoord(), loser.size(), allLosers);
      loser.getMembers().forEach(m -> send(m, hdr));
    }
  }

  private static String island(View v) {
    return "Island(senior=" + Member.of(v.getCoord()) + ", size=" + v.size() + ")";
  }

  // ---- acting ----

  private void handle(PanicHeader hdr, Address sender) {
    switch (hdr.type) {
      case PanicHeader.PANIC -> {
        if (local_addr.equals(hdr.winner)) {
          hold(hdr.losers);
        } else if (hdr.losers.contains(local_addr)) {
          lose(hdr);
        }
      }
      case PanicHeader.ACK -> acknowledged(sender);
      default -> LOG.warn("{}: unknown PANIC message type {} from {}", Member.of(local_addr), hdr.type, sender);
    }
  }

  private void lose(PanicHeader hdr) {
    View v = view;
    boolean first;
    synchronized (this) {
      if (v == null || v.containsMember(hdr.winner)) {
        return; // in the winner's island by now
      }
      first = lost == null;
      if (first) {
        lost = hdr; // from now on, join requests are refused
      }
    }
    // Acknowledged again when the verdict comes again (another coordinator, MERGE3's next round):
    // the first acknowledgement may have been lost, and the winner holds joins until it has one.
    sendNow(hdr.winner, new PanicHeader(PanicHeader.ACK, hdr.winner, hdr.winnerSize, hdr.loser, hdr.loserSize, List.of()));
    if (!first) {
      return; // already stopping
    }
    tellLateJoiners(v);
    Panic panic = new Panic(Member.of(hdr.winner), hdr.winnerSize, Member.of(hdr.loser), hdr.loserSize);
    LOG.error("Panic: this member ({}) is in the losing island of {} ({} members) against the island of {}"
        + " ({} members); stopping the cluster service, discarding its state and rejoining with a new identity",
        Member.of(local_addr), panic.loser(), panic.loserSize(), panic.winner(), panic.winnerSize());
    panicHandler.accept(panic);
  }

  private void hold(Collection<Address> losers) {
    synchronized (this) {
      losers.stream().filter(l -> !acknowledged.contains(l)).forEach(awaitedLosers::add);
      if (awaitedLosers.isEmpty()) {
        return; // all stopped already
      }
      holdingUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(hold_timeout);
    }
    LOG.warn("Panic in progress: holding join requests until {} have stopped (at most {} ms)",
        Member.memberSet(losers), hold_timeout);
    getTransport().getTimer().schedule(this::releaseHeldJoins, hold_timeout, TimeUnit.MILLISECONDS);
  }

  private void acknowledged(Address loser) {
    boolean done;
    synchronized (this) {
      acknowledged.add(loser);
      done = awaitedLosers.remove(loser) && awaitedLosers.isEmpty();
    }
    if (done) {
      releaseHeldJoins();
    }
  }

  /**
   * Members of this losing island's view that the verdict did not name: they joined after the
   * islands were ranked (a join request that reached this member before the verdict did). Their
   * island lost too, so they are told, once each, with the same verdict.
   */
  private void tellLateJoiners(View v) {
    PanicHeader told;
    List<Address> late;
    synchronized (this) {
      if (lost == null || v == null) {
        return;
      }
      late = v.getMembers().stream().filter(m -> !m.equals(local_addr) && !lost.losers.contains(m)).toList();
      if (late.isEmpty()) {
        return;
      }
      List<Address> losers = new ArrayList<>(lost.losers);
      losers.addAll(late);
      lost = told = new PanicHeader(PanicHeader.PANIC, lost.winner, lost.winnerSize, lost.loser, lost.loserSize,
          List.copyOf(losers));
    }
    LOG.warn("Panic: {} joined this losing island after the verdict; telling them that it lost",
        Member.memberSet(late));
    late.forEach(m -> sendNow(m, told));
  }

  /**
   * Sent at once, on this thread, past UNICAST3 and the bundler: the channel of a loser is closed
   * right after, and a queued message would go down with it (the winner would then hold joins
   * for the whole hold_timeout, a late joiner would stay in the losing island).
   */
  private void sendNow(Address dest, PanicHeader hdr) {
    down_prot.down(new EmptyMessage(dest).putHeader(ID, hdr)
        .setFlag(Message.Flag.OOB, Message.Flag.NO_RELIABILITY, Message.Flag.DONT_BUNDLE));
  }

  /** Whether join requests are being held now (this member is the winner's senior in a panic). */
  synchronized boolean holdingJoins() {
    return !awaitedLosers.isEmpty() && System.nanoTime() - holdingUntil < 0;
  }

  /** Whether this member lost a panic (it refuses joins until its channel is closed). */
  synchronized boolean lost() {
    return lost != null;
  }

  /** How many join requests this member refused since it lost a panic. */
  long refusedJoins() {
    return refusedJoins.get();
  }

  /**
   * Whether {@code msg} is a join request that must not reach GMS now: a loser refuses it (its
   * island is going away; answering would put the joiner into it), the winner's senior holds it
   * until the panic is over.
   */
  private boolean keptFromGms(Message msg) {
    GMS.GmsHeader gms = msg.getHeader(GMS_ID);
    if (gms == null || (gms.getType() != GMS.GmsHeader.JOIN_REQ
        && gms.getType() != GMS.GmsHeader.JOIN_REQ_WITH_STATE_TRANSFER)) {
      return false;
    }
    PanicHeader verdict;
    synchronized (this) {
      verdict = lost;
      if (verdict == null) {
        if (!holdingJoins()) {
          return false;
        }
        heldJoins.add(msg);
        return true;
      }
    }
    // Dropped, not answered: GMS has no negative answer but a failed authentication, which ends
    // the joiner's start(). Unanswered, the joiner's JOIN times out (join_timeout) and goes to the
    // next coordinator its discovery found, or discovers again: the winner's senior among them.
    refusedJoins.incrementAndGet();
    LOG.info("Panic: this member ({}) lost and is stopping; refusing the join request of {}, which is to"
        + " join the island of {}", Member.of(local_addr),
        Member.of(Objects.requireNonNullElse(gms.getMember(), msg.getSrc())), Member.of(verdict.winner));
    return true;
  }

  private void releaseHeldJoins() {
    List<Message> release;
    synchronized (this) {
      if (awaitedLosers.isEmpty() && heldJoins.isEmpty() && holdingUntil == 0) {
        return;
      }
      awaitedLosers.clear();
      holdingUntil = 0;
      release = new ArrayList<>(heldJoins);
      heldJoins.clear();
    }
    LOG.info("Panic over; letting {} held join request(s) through", release.size());
    release.forEach(up_prot::up);
  }

  private void send(Address dest, PanicHeader hdr) {
    down_prot.down(new EmptyMessage(dest).putHeader(ID, hdr).setFlag(Message.Flag.OOB)
        .setFlag(Message.TransientFlag.DONT_BLOCK));
  }

  /** PANIC's messages: the verdict, to losers and the winner's senior, and the losers' ACK. */
  public static final class PanicHeader extends Header {
    static final short MAGIC = 1702;
    static final byte PANIC = 1;
    static final byte ACK = 2;

    byte type;
    Address winner;
    int winnerSize;
    Address loser;
    int loserSize;
    List<Address> losers = List.of();

    public PanicHeader() {
    }

    PanicHeader(byte type, Address winner, int winnerSize, Address loser, int loserSize, List<Address> losers) {
      this.type = type;
      this.winner = winner;
      this.winnerSize = winnerSize;
      this.loser = loser;
      this.loserSize = loserSize;
      this.losers = losers;
    }

    @Override
    public short getMagicId() {
      return MAGIC;
    }

    @Override
    public Supplier<? extends Header> create() {
      return PanicHeader::new;
    }

    @Override
    public int serializedSize() {
      return Byte.BYTES + Util.size(winner) + Integer.BYTES + Util.size(loser) + Integer.BYTES
          + (int) Util.size(losers);
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
      out.writeByte(type);
      Util.writeAddress(winner, out);
      out.writeInt(winnerSize);
      Util.writeAddress(loser, out);
      out.writeInt(loserSize);
      Util.writeAddresses(losers, out);
    }

    @Override
    public void readFrom(DataInput in) throws IOException, ClassNotFoundException {
      type = in.readByte();
      winner = Util.readAddress(in);
      winnerSize = in.readInt();
      loser = Util.readAddress(in);
      loserSize = in.readInt();
      Collection<? extends Address> read = Util.readAddresses(in, ArrayList::new);
      losers = read == null ? List.of() : List.copyOf(read);
    }

    @Override
    public String toString() {
      return "PANIC[type=" + type + ", winner=" + winner + ", loser=" + loser + "]";
    }
  }
}
