package dev.sdpshim.cluster;

import dev.sdpshim.shim.RailGroup;
import dev.sdpshim.shim.SdpShim;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.stack.Protocol;
import org.jgroups.util.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a cluster on the {@link ClusterStack}: start it, send to one member or to all,
 * receive, and follow the membership.
 *
 * <pre>{@code
 * try (ClusterMember member = ClusterMember.builder("orders", secret).name("node-1")
 *     .bind(InetAddress.getByName("10.0.0.5"), 7800).peers(peers)
 *     .onMessage((from, payload) -> ...).listener(new ClusterListener() { ... })
 *     .start()) {
 *   member.sendToAll(bytes);
 *   Member senior = member.senior();
 * }
 * }</pre>
 *
 * <p>Every incarnation of the member has its own identity ({@link Member}): after a panic
 * ({@link ClusterListener#discardState}) or after finding it was the one cut off
 * ({@link ClusterListener#cutOff}), the member leaves, rejoins and is a new {@code Member}.
 * Messages from members not in the current view (evicted ones) are dropped, as are messages
 * larger than {@link Builder#maxMessageSize}.
 */
public final class ClusterMember implements AutoCloseable {
  /** Default bound on one message's payload. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 << 20;
  private static final int REJOIN_ATTEMPTS = 5;
  private static final long REJOIN_PAUSE_MS = 200;
  /**
   * After a panic, how long a loser waits before it rejoins: every loser of its island got the
   * verdict at the same moment and is closing; a rejoin that starts at once may find the losing
   * island's coordinator still answering discovery, send it the JOIN, and time out.
   */
  private static final long PANIC_GRACE_MS = 250;
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

  private final String name;
  private final ClusterStack stack;
  private final MessageHandler handler;
  private final ClusterListener listener;
  private final int maxMessageSize;
  private final ExecutorService rejoins;
  private final Object lock = new Object();
  private volatile JChannel channel;
  private volatile View view;
  private volatile boolean closed;
  /** Messages dropped because their sender was not in the view (evicted, or never admitted). */
  private final java.util.concurrent.atomic.AtomicLong fromNonMembers = new java.util.concurrent.atomic.AtomicLong();

  private ClusterMember(Builder b) {
    this.name = b.name;
    this.stack = b.stack.build();
    this.handler = b.handler;
    this.listener = b.listener;
    this.maxMessageSize = b.maxMessageSize;
    this.rejoins = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
        .name("sdp-shim-cluster-" + name).factory());
  }

  /** A member of {@code cluster}, proving it knows {@code secret} (not empty) to join. */
  public static Builder builder(String cluster, byte[] secret) {
    return new Builder(ClusterStack.builder(cluster, secret));
  }

  /** This incarnation's identity. */
  public Member self() {
    return Member.of(current().getAddress());
  }

  /** The members, oldest first. */
  public List<Member> members() {
    View v = view;
    return v == null ? List.of() : v.getMembers().stream().map(Member::of).toList();
  }

  /** The oldest member: the cluster's senior (JGroups' coordinator). */
  public Member senior() {
    View v = view;
    if (v == null) {
      throw new IllegalStateException(name + " is not in a cluster");
    }
    return Member.of(v.getCoord());
  }

  /** Sends {@code payload} to {@code to}, reliably and in order with this member's other messages. */
  public void send(Member to, byte[] payload) throws Exception {
    send(new BytesMessage(Objects.requireNonNull(to, "to").address(), checked(payload)));
  }

  /** Sends {@code payload} to every member, this one included, reliably and in order per sender. */
  public void sendToAll(byte[] payload) throws Exception {
    send(new BytesMessage(null, checked(payload)));
  }

  private void send(Message msg) throws Exception {
    current().send(msg);
  }

  private byte[] checked(byte[] payload) {
    if (payload.length > maxMessageSize) {
      throw new IllegalArgumentException("message of " + payload.length + " bytes is larger than the"
          + " cluster's bound of " + maxMessageSize + " bytes");
    }
    return payload;
  }

  private JChannel current() {
    JChannel c = channel;
    if (c == null || closed) {
      throw new IllegalStateException(name + (closed ? " is closed" : " is rejoining the cluster"));
    }
    return c;
  }

  /** Leaves the cluster. */
  @Override
  public void close() {
    closed = true;
    rejoins.shutdownNow();
    JChannel c;
    synchronized (lock) {
      c = channel;
      channel = null;
    }
    if (c != null) {
      c.close();
    }
    try {
      rejoins.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many messages were dropped because their sender was not a member. */
  long droppedFromNonMembers() {
    return fromNonMembers.get();
  }

  /** The protocol of the current channel, for tests and diagnostics. */
  <T extends Protocol> T protocol(Class<T> type) {
    return current().getProtocolStack().findProtocol(type);
  }

  private void join() throws Exception {
    JChannel c = new JChannel(stack.protocols());
    c.name(name);
    c.addAddressGenerator(Member.identities(name));
    c.getProtocolStack().<PANIC>findProtocol(PANIC.class).onPanic(p -> later(() -> panicked(c, p)));
    c.getProtocolStack().<WITNESS>findProtocol(WITNESS.class).onCutOff(s -> later(() -> cutOff(c, s)));
    c.setReceiver(new Receiver() {
      @Override
      public void receive(Message msg) {
        deliver(c, msg);
      }

      @Override
      public void viewAccepted(View v) {
        if (channel == c) {
          view = v;
          listener.membersChanged(v.getMembers().stream().map(Member::of).toList());
        }
      }
    });
    synchronized (lock) {
      if (closed) {
        c.close();
        return;
      }
      channel = c;
    }
    try {
      c.connect(stack.cluster());
    } catch (Exception e) {
      synchronized (lock) {
        channel = null;
      }
      c.close();
      throw e;
    }
    view = c.getView(); // viewAccepted has told the listener
  }

  /** Leaving and rejoining happen on the member's own thread, never on JGroups' (which they stop). */
  private void later(Runnable task) {
    try {
      rejoins.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("{} is closed; not acting on it", name);
    }
  }

  private void deliver(JChannel c, Message msg) {
    View v = view;
    if (channel != c || v == null || !v.containsMember(msg.getSrc())) {
      fromNonMembers.incrementAndGet();
      LOG.debug("{}: dropping a message from {}, which is not a member", name, msg.getSrc());
      return;
    }
    if (msg.getLength() > maxMessageSize) {
      LOG.warn("{}: dropping a message of {} bytes from {}: larger than the bound of {} bytes",
          name, msg.getLength(), Member.of(msg.getSrc()), maxMessageSize);
      return;
    }
    handler.received(Member.of(msg.getSrc()), msg.getArray() == null ? new byte[0] : copy(msg));
  }

  private static byte[] copy(Message msg) {
    byte[] array = msg.getArray();
    if (msg.getOffset() == 0 && msg.getLength() == array.length) {
      return array;
    }
    byte[] out = new byte[msg.getLength()];
    System.arraycopy(array, msg.getOffset(), out, 0, out.length);
    return out;
  }

  private void panicked(JChannel lost, Panic panic) {
    Member previous = Member.of(lost.getAddress());
    long start = System.nanoTime();
    if (!leave(lost)) {
      return;
    }
    LOG.info("{} left in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    listener.discardState(panic);
    long wait = PANIC_GRACE_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (wait > 0) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    rejoin(previous, panic.winner().address());
  }

  private void cutOff(JChannel lost, Member suspect) {
    Member previous = Member.of(lost.getAddress());
    if (!leave(lost)) {
      return;
    }
    listener.cutOff(suspect);
    rejoin(previous, null);
  }

  /** Stops delivering and closes {@code lost}, if it is still the current channel. */
  private boolean leave(JChannel lost) {
    synchronized (lock) {
      if (channel != lost || closed) {
        return false;
      }
      channel = null;
      view = null;
    }
    lost.close();
    return true;
  }

  /** Joins again with a new identity; after a panic, until the view holds the winner's senior. */
  private void rejoin(Member previous, Address winner) {
    long start = System.nanoTime();
    for (int attempt = 1; attempt <= REJOIN_ATTEMPTS && !closed; attempt++) {
      try {
        join();
        View v = view;
        if (winner == null || v == null || v.containsMember(winner) || attempt == REJOIN_ATTEMPTS) {
          LOG.info("{} rejoined as {} (was {}) in {} ms; senior {}", name, self(), previous,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), senior());
          listener.rejoined(previous, self());
          return;
        }
        LOG.warn("{}: rejoined a view without the winner's senior {}: {}; trying again", name,
            Member.of(winner), v);
        leave(channel);
      } catch (Exception e) {
        LOG.warn("{}: rejoining failed (attempt {} of {}): {}", name, attempt, REJOIN_ATTEMPTS, e.toString());
      }
      try {
        Thread.sleep(REJOIN_PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Settings of a member; {@link #start()} joins. */
  public static final class Builder {
    private final ClusterStack.Builder stack;
    private String name = "member";
    private MessageHandler handler = (from, payload) -> { };
    private ClusterListener listener = new ClusterListener() { };
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

    private Builder(ClusterStack.Builder stack) {
      this.stack = stack;
    }

    /** The member's name, kept across incarnations; shown in logs. */
    public Builder name(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** See {@link ClusterStack.Builder#bind}. */
    public Builder bind(InetAddress address, int port) {
      stack.bind(address, port);
      return this;
    }

    /** See {@link ClusterStack.Builder#peers}. */
    public Builder peers(List<InetSocketAddress> peers) {
      stack.peers(peers);
      return this;
    }

    /** See {@link ClusterStack.Builder#shim}. */
    public Builder shim(SdpShim shim) {
      stack.shim(shim);
      return this;
    }

    /** See {@link ClusterStack.Builder#socketFactory}. */
    public Builder socketFactory(Supplier<SocketFactory> factory) {
      stack.socketFactory(factory);
      return this;
    }

    /** See {@link ClusterStack.Builder#rails}. */
    public Builder rails(RailGroup rails) {
      stack.rails(rails);
      return this;
    }

    public Builder onMessage(MessageHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    public Builder listener(ClusterListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The largest payload sent or delivered; default {@value #DEFAULT_MAX_MESSAGE_SIZE} bytes. */
    public Builder maxMessageSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxMessageSize must be positive: " + bytes);
      }
      this.maxMessageSize = bytes;
      return this;
    }

    Builder aboveTransport(Supplier<Protocol> protocol) {
      stack.aboveTransport(protocol);
      return this;
    }

    /** Joins the cluster (or founds it); returns once this member is in a view. */
    public ClusterMember start() throws Exception {
      ClusterMember member = new ClusterMember(this);
      try {
        member.join();
      } catch (Exception | Error e) {
        member.close();
        throw e;
      }
      return member;
    }
  }
}
