package dev.sdpshim.shim;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.DiagnosticText;
import dev.sdpshim.conf.RailPolicy;
import dev.sdpshim.conf.RailsConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active-active bonding over a host's ports: the rails of one {@link SdpShim}. A connect to a
 * peer in one rail's subnet is placed on a rail by the group's {@link RailPolicy}: the socket is
 * bound to that rail's local address (so the shim's <em>bind</em> rules decide whether it becomes
 * SDP on that port) and connected to the peer's address on that rail. When the connect fails
 * (refused, unreachable, or not done within the connect timeout) it goes, transparently, to the
 * peer's address on the next healthy rail. A connect still pending after the hedge delay is raced
 * by the same connect on the next healthy rail, the first to connect kept ({@link HedgedConnect}),
 * so a rail whose peer side died silently costs a hedge delay, not a connect timeout. A rail whose
 * connect failed while another rail reached the same peer, or whose interface is down, is marked
 * down; a background probe, every probe interval, brings it back (failback) as soon as the peer it
 * failed to reach, or any peer recently reached on another rail, answers on it.
 *
 * <pre>{@code
 * SdpShim shim = SdpShim.builder().config(Path.of("sdp.conf")).build();
 * RailGroup rails = RailGroup.builder(shim)
 *     .rail("port1", "192.168.10.1/24", "ib0")
 *     .rail("port2", "192.168.20.1/24", "ib1")
 *     .policy(RailPolicy.LEAST_CONNECTIONS)
 *     .build();
 * Socket s = rails.socketFactory().createSocket("192.168.10.7", 5432); // port1, or port2 = .20.7
 * RailServer server = rails.listen(7000);                              // on every rail at once
 * }</pre>
 *
 * <p>From system properties: {@link #fromSystemProperties()} reads {@value #RAILS_PROPERTY}
 * (the rails file, format in docs/rails.md) and uses {@link SdpShim#fromSystemProperties()};
 * {@link RailedSocketFactory}'s no-arg constructor uses it. Statistics: {@link #statistics()} and
 * MXBeans {@code dev.sdpshim:type=RailGroup,name=NAME} and
 * {@code dev.sdpshim:type=Rail,group=NAME,name=RAIL}. Logging: a WARN at every failover and when
 * a rail goes down, an INFO at every failback (logger {@code dev.sdpshim.shim.RailGroup}).
 * Thread-safe; {@link #close()} stops the probe and removes the MXBeans.
 */
public final class RailGroup implements AutoCloseable {
  /** The rails file. */
  public static final String RAILS_PROPERTY = "sdpshim.rails";

  private static final Logger LOG = LoggerFactory.getLogger(RailGroup.class);
  private static final InstanceNames NAMES = new InstanceNames("a rail group", "rails-");
  private static final Object DEFAULT_LOCK = new Object();
  private static volatile RailGroup defaultInstance;

  /** A connected socket and the rail it is on (null when the peer is outside every rail). */
  record Connected(Socket socket, Rail rail) {}

  /** One failed connect on one rail. */
  private record Attempt(Rail rail, InetSocketAddress target, IOException error, String reason) {}

  private final String name;
  private final SdpShim shim;
  private final RailsConfig config;
  private final List<Rail> rails;
  private final RailChooser chooser;
  private final int connectTimeoutMillis;
  /** Ends railed connects at their timeout and starts their hedges. */
  private final ConnectTimer timer;
  /** 0 when hedging is off or there is no second rail to hedge on. */
  private final long hedgeDelayMillis;
  private final LongAdder unrailed = new LongAdder();
  private final RecentPeers recentPeers = new RecentPeers();
  private final boolean jvmDefault;
  private final RailedSocketFactory socketFactory;
  /** TCP_USER_TIMEOUT in ms for the group's connections; 0: not set. */
  private final int userTimeoutMillis;
  /** Whether a socket already refused the user timeout (said once, not per connection). */
  private final AtomicBoolean userTimeoutRefused = new AtomicBoolean();
  private final ScheduledExecutorService prober;
  private final ShimMBeans mbeans;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RailGroup(String name, SdpShim shim, RailsConfig config, boolean jvmDefault) {
    this.name = name;
    this.shim = shim;
    this.config = config;
    List<Rail> list = new ArrayList<>();
    for (RailsConfig.Rail r : config.rails()) {
      list.add(new Rail(list.size(), r));
    }
    this.rails = List.copyOf(list);
    this.chooser = new RailChooser(config.policy(), rails);
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
    this.hedgeDelayMillis = rails.size() > 1 ? config.hedgeDelay().map(Duration::toMillis).orElse(0L) : 0;
    this.userTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.userTimeout().map(Duration::toMillis).orElse(0L));
    this.jvmDefault = jvmDefault;
    this.socketFactory = new RailedSocketFactory(this);
    probe(); // a rail whose interface is down at start is not used until it is up
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sdp-shim-rails-" + name);
      t.setDaemon(true);
      return t;
    });
    long interval = config.probeInterval().toMillis();
    prober.scheduleWithFixedDelay(this::probe, interval, interval, TimeUnit.MILLISECONDS);
    long period = hedgeDelayMillis > 0 ? Math.min(hedgeDelayMillis, connectTimeoutMillis) : connectTimeoutMillis;
    this.timer = new ConnectTimer(name, TimeUnit.MILLISECONDS.toNanos(period));
    this.mbeans = ShimMBeans.register(this);
  }

  /** A builder for a group of {@code shim}'s sockets. */
  public static Builder builder(SdpShim shim) {
    return new Builder(shim);
  }

  /**
   * The JVM-wide group, named {@code default}: the rails file named by {@value #RAILS_PROPERTY},
   * sockets of {@link SdpShim#fromSystemProperties()}. Lives as long as the JVM.
   *
   * @throws InvalidConfigException if the property is missing, or the file cannot be read or is
   *     invalid (the message lists every finding with file, line and cause)
   */
  public static RailGroup fromSystemProperties() {
    RailGroup group = defaultInstance;
    if (group != null) {
      return group;
    }
    synchronized (DEFAULT_LOCK) {
      if (defaultInstance == null) {
        String file = System.getProperty(RAILS_PROPERTY);
        if (file == null || file.isBlank()) {
          throw new InvalidConfigException("-D" + RAILS_PROPERTY + " is not set" + (file == null ? "" : " (empty)")
              + ": name the rails file (format: docs/rails.md) to use the railed socket factory");
        }
        Builder b = builder(SdpShim.fromSystemProperties()).name(SdpShim.DEFAULT_NAME).config(Path.of(file));
        b.jvmDefault = true;
        defaultInstance = b.build();
      }
      return defaultInstance;
    }
  }

  public String name() {
    return name;
  }

  /** The shim whose rules and protocol the group's sockets follow. */
  public SdpShim shim() {
    return shim;
  }

  public RailsConfig config() {
    return config;
  }

  /** Sockets whose connects are railed; see {@link RailedSocketFactory}. */
  public SocketFactory socketFactory() {
    return socketFactory;
  }

  /**
   * Listeners of the shim for the group's peers to connect to, bound wherever the caller says
   * (e.g. the wildcard address, reachable on every rail at one port, as a JGroups transport
   * listens): the shim's listeners, judged by its bind rules, with the group's user timeout
   * ({@link RailsConfig#userTimeout()}), set at their bind (after a conversion, before they
   * listen), which the kernel gives every connection they accept. So both ends of a connection on a rail that dies find
   * out, not only the railed client.
   */
  public ServerSocketFactory serverSocketFactory() {
    return new ShimServerSocketFactory(shim, server -> withUserTimeout(SocketDescriptors.fd(server), server));
  }

  /** Listens on {@code port} on every rail's address; see {@link RailServer}. */
  public RailServer listen(int port) throws IOException {
    return RailServer.open(this, port, RailServer.DEFAULT_BACKLOG);
  }

  /** Listens on {@code port} on every rail's address with {@code backlog}; see {@link RailServer}. */
  public RailServer listen(int port, int backlog) throws IOException {
    return RailServer.open(this, port, backlog);
  }

  public RailStatistics statistics() {
    List<RailStatistics.RailCounts> counts = new ArrayList<>(rails.size());
    for (Rail r : rails) {
      counts.add(r.counts());
    }
    return new RailStatistics(name, shim.name(), config.policy(), config.connectTimeout().toMillis(),
        config.probeInterval().toMillis(), hedgeDelayMillis, unrailed.sum(), counts);
  }

  /** Stops probing and removes the MXBeans; sockets keep working. Nothing for the JVM-wide group. */
  @Override
  public void close() {
    if (jvmDefault || !closed.compareAndSet(false, true)) {
      return;
    }
    prober.shutdownNow();
    timer.close();
    mbeans.close();
    NAMES.release(name);
  }

  @Override
  public String toString() {
    return "RailGroup[" + name + ": " + rails + ", " + config.policy() + "]";
  }

  List<Rail> rails() {
    return rails;
  }

  long unrailed() {
    return unrailed.sum();
  }

  /** An unconnected socket of the shim, never proxied: its bind is judged by the bind rules. */
  Socket newSocket() {
    return ShimSocket.direct(shim.policy());
  }

  /**
   * Connects {@code first} (unbound, with the application's settings) or its replacements to
   * {@code remote} on the rails, in the policy's order, each try bounded by the connect timeout
   * and all of them by {@code timeout} (0: none). A try still pending after the hedge delay is
   * raced by the same connect on the next healthy rail ({@link HedgedConnect}).
   */
  Connected connect(InetSocketAddress remote, int timeout, Socket first, RailSocketImpl impl) throws IOException {
    InetAddress address = remote.getAddress();
    int home = config.railOf(address);
    if (home < 0) {
      unrailed.increment();
      first.connect(remote, timeout); // not on a rail: the shim's connect rules decide, as for any socket
      return new Connected(first, null);
    }
    // The peer's identity for sticky placement: its address on the first rail.
    InetAddress peer = home == 0 ? address : config.peerOn(0, address);
    long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : Long.MAX_VALUE;
    List<Attempt> failed = List.of();
    Socket socket = first;
    int[] order = chooser.order(peer);
    for (int k = 0; k < order.length; k++) {
      Rail rail = rails.get(order[k]);
      InetSocketAddress target = targetOn(rail.index, remote, home);
      int attemptTimeout = attemptTimeout(deadline);
      if (attemptTimeout <= 0) {
        break;
      }
      if (socket == null) {
        socket = impl.replacement();
      }
      HedgedConnect hedge = hedgeable(order, k, attemptTimeout)
          ? new HedgedConnect(this, impl, socket, rail, target, rails.get(order[k + 1]), remote, home, deadline,
              TimeUnit.MILLISECONDS.toNanos(hedgeDelayMillis))
          : null;
      IOException error = attempt(socket, rail, target, attemptTimeout, hedge);
      HedgedConnect.Outcome outcome = hedge != null ? hedge.firstDone(error)
          : error == null ? HedgedConnect.Outcome.FIRST : HedgedConnect.Outcome.FIRST_FAILED;
      switch (outcome) {
        case FIRST -> {
          IOException secondError = hedge == null ? null : hedge.secondError();
          if (secondError != null) { // the hedge failed while this rail reached the peer
            failed = with(failed, new Attempt(hedge.secondRail, hedge.secondTarget(), secondError,
                reason(secondError, hedge.secondTimeout())));
          }
          return connected(peer, rail, target, socket, failed);
        }
        case SECOND -> {
          if (error != null && !hedge.firstCutShort()) { // it failed by itself: judged as any failed connect
            failed = with(failed, new Attempt(rail, target, error, reason(error, attemptTimeout)));
          }
          LOG.info("rails '{}': connect to {} on rail {} was not done after {} ms; the same connect on rail {} to {},"
              + " started then, connected first", name, target, rail.name(), hedgeDelayMillis, hedge.secondRail.name(),
              hedge.secondTarget());
          return connected(peer, hedge.secondRail, hedge.secondTarget(), hedge.secondSocket(), failed);
        }
        case FIRST_FAILED, BOTH_FAILED -> {
          ShimSocket.closeAfter(socket, error);
          socket = null;
          failed = with(failed, new Attempt(rail, target, error, reason(error, attemptTimeout)));
          if (outcome == HedgedConnect.Outcome.BOTH_FAILED && hedge.secondError() != null) {
            failed.add(new Attempt(hedge.secondRail, hedge.secondTarget(), hedge.secondError(),
                reason(hedge.secondError(), hedge.secondTimeout())));
          }
          if (outcome == HedgedConnect.Outcome.BOTH_FAILED) {
            k++; // the next rail was just tried
          }
        }
      }
    }
    throw everyRailFailed(remote, failed, timeout);
  }

  /**
   * Sets the group's TCP_USER_TIMEOUT on {@code fd}, if it has one. A dead port sends no reset:
   * without it, a connection with data in flight on it retransmits for minutes before the
   * application learns anything; with it, the kernel closes it after the timeout and the
   * application's next write or read fails, so it reconnects, through the rails. A protocol
   * that refuses the option (SDP may) keeps the kernel's default, said once.
   */
  private void withUserTimeout(int fd, Object socket) {
    if (userTimeoutMillis == 0) {
      return;
    }
    try {
      Libc.setsockopt(fd, Libc.IPPROTO_TCP, Libc.TCP_USER_TIMEOUT, userTimeoutMillis);
    } catch (NativeCallException e) {
      if (userTimeoutRefused.compareAndSet(false, true)) {
        LOG.warn("rails '{}': {} refused TCP_USER_TIMEOUT ({}): its connections, and later ones that refuse it too,"
            + " keep the kernel's retransmission limit when a rail dies under them", name, socket, e.getMessage());
      }
    }
  }

  /** The peer's address on rail {@code index}; {@code remote} is on rail {@code home}. */
  InetSocketAddress targetOn(int index, InetSocketAddress remote, int home) {
    return index == home ? remote : new InetSocketAddress(config.peerOn(index, remote.getAddress()), remote.getPort());
  }

  /** Whether the try at {@code order[k]} gets a hedge: a healthy next rail, and time for it. */
  private boolean hedgeable(int[] order, int k, int attemptTimeout) {
    return hedgeDelayMillis > 0 && k + 1 < order.length && rails.get(order[k + 1]).isUp()
        && attemptTimeout > hedgeDelayMillis;
  }

  /**
   * Binds {@code socket} to the rail and connects it within {@code timeout} ms (a blocking connect
   * that the group's {@link ConnectTimer} ends, see there why); the failure, or null.
   */
  private IOException attempt(Socket socket, Rail rail, InetSocketAddress target, int timeout, HedgedConnect hedge) {
    ConnectTimer.Deadline deadline = null;
    try {
      bindToRail(socket, rail);
      deadline = timer.deadline(socket, timeout);
      if (hedge != null) {
        timer.add(hedge);
      }
      socket.connect(target);
      return deadline.done() ? null : timedOut(target, timeout);
    } catch (IOException e) {
      return deadline == null || deadline.done() ? e : timedOut(target, timeout);
    } finally {
      if (deadline != null) {
        timer.remove(deadline);
      }
      if (hedge != null) {
        timer.remove(hedge);
      }
    }
  }

  private static SocketTimeoutException timedOut(InetSocketAddress target, int timeout) {
    return new SocketTimeoutException("Connect to " + target + " timed out after " + timeout + " ms");
  }

  /**
   * Binds a socket of {@link #newSocket()} to the rail's address, judged by the bind rules; the
   * connect picks the port ({@link ShimSocket#bindForConnect}).
   */
  static void bindToRail(Socket socket, Rail rail) throws IOException {
    if (socket instanceof ShimSocket shimSocket) {
      shimSocket.bindForConnect(rail.bindAddress);
    } else {
      socket.bind(rail.bindAddress);
    }
  }

  private static List<Attempt> with(List<Attempt> failed, Attempt attempt) {
    List<Attempt> list = failed.isEmpty() ? new ArrayList<>(4) : failed;
    list.add(attempt);
    return list;
  }

  /** The connect succeeded on {@code rail}: counts it, judges the rails it failed on, brings a rail back. */
  private Connected connected(InetAddress peer, Rail rail, InetSocketAddress target, Socket socket,
      List<Attempt> failed) throws IOException {
    if (userTimeoutMillis > 0) { // not even the descriptor lookup on the usual path
      withUserTimeout(SocketDescriptors.fd(socket), socket);
    }
    rail.connected();
    chooser.connected(peer, rail.index);
    recentPeers.reached(peer, target.getPort());
    failedOver(failed, rail, target);
    if (!rail.isUp()) {
      back(rail, "a connect to " + target + " succeeded on it");
    }
    return new Connected(socket, rail);
  }

  /**
   * The first connect of {@code hedge} was closed when the second won, before it had failed or
   * connected: a check connect on its rail, with the full connect timeout, tells whether the rail
   * was broken (then it is judged as any connect that failed while another rail reached the peer)
   * or only slow (nothing happens). Runs on the hedge's thread, after the caller has its socket.
   */
  void judgeOvertaken(HedgedConnect hedge) {
    IOException e = reach(hedge.firstRail, hedge.firstTarget);
    if (e == null) {
      LOG.debug("rails '{}': rail {} reached {} on a check after a hedge won: it was slow, not down", name,
          hedge.firstRail.name(), hedge.firstTarget);
      return;
    }
    failedOver(List.of(new Attempt(hedge.firstRail, hedge.firstTarget, e, reason(e, connectTimeoutMillis))),
        hedge.secondRail, hedge.secondTarget());
  }

  /**
   * A connect like the application's (same protocol, same bind rules: a peer listening on SDP
   * would refuse a TCP connect) from {@code rail}'s address to {@code target}, closed at once.
   * Null when it reached the peer, a refusal included (a refusal proves the rail carries packets);
   * else why not.
   */
  private IOException reach(Rail rail, InetSocketAddress target) {
    try (Socket probe = newSocket()) {
      bindToRail(probe, rail);
      probe.connect(target, connectTimeoutMillis);
      return null;
    } catch (IOException e) {
      return isRefusal(e) ? null : e;
    }
  }

  int attemptTimeout(long deadline) {
    if (deadline == Long.MAX_VALUE) {
      return connectTimeoutMillis;
    }
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.min(connectTimeoutMillis, left);
  }

  /**
   * The connect succeeded on {@code to} after failing on the rails in {@code failed}: each of those
   * counts a failover, and is marked down unless the peer refused (a refusal proves the rail
   * carries packets; the peer just does not listen on that address).
   */
  private void failedOver(List<Attempt> failed, Rail to, InetSocketAddress target) {
    for (Attempt a : failed) {
      a.rail().failedOver(a.reason());
      LOG.warn("rails '{}': connect to {} on rail {} failed ({}); failed over to rail {}: {}", name,
          a.target(), a.rail().name(), a.reason(), to.name(), target);
      if (!isRefusal(a.error()) && a.rail().markDown(a.reason(), a.target())) {
        LOG.warn("rails '{}': rail {} is down ({}); new connections use the other rails, and it is probed every {} ms",
            name, a.rail(), a.reason(), config.probeInterval().toMillis());
      }
    }
  }

  /**
   * No rail reached the peer: the peer (or the whole fabric) is down, not one rail, so no rail is
   * marked down; each records the failure.
   */
  private IOException everyRailFailed(InetSocketAddress remote, List<Attempt> failed, int timeout) {
    if (failed.isEmpty()) {
      return new SocketTimeoutException("Connect to " + remote + " timed out after " + timeout + " ms");
    }
    StringBuilder message = new StringBuilder("Connect to ").append(remote).append(" failed on every rail: ");
    boolean allTimedOut = true;
    for (int i = 0; i < failed.size(); i++) {
      Attempt a = failed.get(i);
      a.rail().failed(a.reason());
      allTimedOut &= a.error() instanceof SocketTimeoutException;
      message.append(i == 0 ? "" : "; ").append("rail ").append(a.rail().name()).append(" to ")
          .append(a.target()).append(": ").append(a.reason());
    }
    IOException e = allTimedOut ? new SocketTimeoutException(message.toString())
        : new ConnectException(message.toString());
    for (Attempt a : failed) {
      e.addSuppressed(a.error());
    }
    return e;
  }

  /** Why a connect failed, in a few words for logs and statistics. */
  static String reason(IOException e, int timeoutMillis) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof SocketTimeoutException) {
      return "connect timed out after " + timeoutMillis + " ms";
    }
    if (isRefusal(e)) {
      return "connection refused";
    }
    if (e instanceof BindException) {
      return "cannot bind to the rail's address: " + message;
    }
    if (e instanceof NoRouteToHostException) {
      return "host unreachable: " + message;
    }
    return message;
  }

  private static boolean isRefusal(IOException e) {
    return e instanceof ConnectException && e.getMessage() != null
        && e.getMessage().toLowerCase(Locale.ROOT).contains("refused");
  }

  private void back(Rail rail, String how) {
    Rail.Health was = rail.markUp();
    if (was != null) {
      LOG.info("rails '{}': rail {} is back: {}, {} ms after it went down ({}); new connections use it again",
          name, rail, how, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - was.sinceNanos()), was.reason());
    }
  }

  /** One round of the prober: link state of every rail, and a probe connect on each rail down. */
  private void probe() {
    for (Rail rail : rails) {
      try {
        probe(rail);
      } catch (RuntimeException e) {
        LOG.warn("rails '{}': probing rail {} failed", name, rail, e);
      }
    }
  }

  /**
   * A healthy rail is marked down when its interface is. A rail that is down is probed with a
   * connect to the peer it failed to reach, and at the same time to the last few distinct peers
   * reached on any rail ({@link RecentPeers}), each at its address on this rail: the first peer
   * that answers brings the rail back, so a peer gone for good does not keep a working rail down.
   * The probe does not wait for the interface to report running again: the kernel reports a link
   * that came back as running only after its link-watch delay (up to a second), while a probe
   * connect works at once. A rail marked down by its interface alone comes back with it.
   */
  private void probe(Rail rail) {
    Rail.Health health = rail.health();
    if (health.up()) {
      String problem = rail.interfaceProblem();
      if (problem != null && rail.markDown(problem, null)) {
        rail.failed(problem);
        LOG.warn("rails '{}': rail {} is down ({}); new connections use the other rails, and it is probed every {} ms",
            name, rail, problem, config.probeInterval().toMillis());
      }
      return;
    }
    InetSocketAddress target = health.probeTarget();
    if (target == null) {
      if (rail.interfaceProblem() == null) {
        back(rail, "its interface is up again");
      }
      return;
    }
    List<InetSocketAddress> targets = probeTargets(rail, target);
    InetSocketAddress reached = firstReached(rail, targets);
    if (reached == null) {
      LOG.debug("rails '{}': probe of rail {} reached none of {}", name, rail.name(), targets);
      return;
    }
    back(rail, "a probe connect to " + reached + " succeeded");
  }

  /** {@code failedTarget}, then the recent peers at their addresses on {@code rail}, each once. */
  private List<InetSocketAddress> probeTargets(Rail rail, InetSocketAddress failedTarget) {
    List<InetSocketAddress> targets = new ArrayList<>(RecentPeers.SIZE + 1);
    targets.add(failedTarget);
    for (InetSocketAddress peer : recentPeers.list()) {
      InetSocketAddress t = new InetSocketAddress(config.peerOn(rail.index, peer.getAddress()), peer.getPort());
      if (!targets.contains(t)) {
        targets.add(t);
      }
    }
    return targets;
  }

  /** Probes every target at once on virtual threads; the first that {@link #reach}es, or null. */
  private InetSocketAddress firstReached(Rail rail, List<InetSocketAddress> targets) {
    List<Callable<InetSocketAddress>> probes = new ArrayList<>(targets.size());
    for (InetSocketAddress t : targets) {
      probes.add(() -> {
        IOException e = reach(rail, t);
        if (e != null) {
          throw e;
        }
        return t;
      });
    }
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      return threads.invokeAny(probes); // the others are interrupted, which closes their sockets
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the group is closing
      return null;
    }
  }

  /**
   * Collects a group; {@link #build()} checks it like a rails file. Either a file or config
   * ({@link #config}) or rails given one by one ({@link #rail}), not both.
   */
  public static final class Builder {
    private final SdpShim shim;
    private final List<RailsConfig.Rail> rails = new ArrayList<>();
    private RailsConfig config;
    private Path file;
    private RailPolicy policy;
    private Duration connectTimeout;
    private Duration probeInterval;
    private Duration hedgeDelay;
    private Duration userTimeout;
    private String name;
    private boolean jvmDefault;

    private Builder(SdpShim shim) {
      this.shim = Objects.requireNonNull(shim, "shim");
    }

    /** A rails file, read and checked at {@link #build()}. */
    public Builder config(Path file) {
      this.file = Objects.requireNonNull(file, "file");
      this.config = null;
      return this;
    }

    /** A parsed rails file; refused at {@link #build()} unless {@link RailsConfig#isValid()}. */
    public Builder config(RailsConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      this.file = null;
      return this;
    }

    /**
     * Adds a rail: {@code name}, its local address with the prefix length of its subnet (e.g.
     * {@code 192.168.10.1/24}, a literal), and the interface carrying it (null: not watched by
     * name; the interface holding the address is).
     *
     * @throws IllegalArgumentException if the name, address or prefix length is malformed
     *     (as SDP401 says for a file)
     */
    public Builder rail(String name, String addressAndPrefix, String device) {
      rails.add(RailsConfig.Rail.of(name, addressAndPrefix, device));
      return this;
    }

    public Builder policy(RailPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** How long a connect may take on one rail before it goes to the next (default 1 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How often rails that are down are probed, and link states read (default 2 s). */
    public Builder probeInterval(Duration interval) {
      this.probeInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * How long a connect may be pending on one rail before the same connect is started on the
     * next healthy rail too, the first to connect kept (default: 250 ms, or half the connect
     * timeout when that is shorter); {@link Duration#ZERO} turns hedging off. Must be shorter
     * than the connect timeout (checked at {@link #build()}, as SDP401 says for a file).
     */
    public Builder hedgeDelay(Duration delay) {
      this.hedgeDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * TCP_USER_TIMEOUT for the group's connections and for the listeners of
     * {@link RailGroup#serverSocketFactory()}: how long sent data may stay unacknowledged before the
     * kernel closes the connection ({@link RailsConfig#userTimeout()}); {@link Duration#ZERO}: none.
     * Given here it overrides a rails file's {@code user-timeout}.
     */
    public Builder userTimeout(Duration timeout) {
      this.userTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Names the group's MXBeans; by default {@code rails-1}, {@code rails-2}, ... */
    public Builder name(String name) {
      this.name = InstanceNames.checked(name);
      return this;
    }

    /**
     * Checks and starts the group (its prober thread and MXBeans).
     *
     * @throws InvalidConfigException if the rails file cannot be read, or the group is invalid:
     *     the message lists every finding (file, line, cause), as {@code sdpcheck --rails} would
     * @throws IllegalStateException if an open group already has this name
     */
    public RailGroup build() {
      RailsConfig checked = userTimeout == null ? resolve() : resolve().withUserTimeout(userTimeout);
      if (!checked.isValid()) {
        throw ConfigText.refusal(checked);
      }
      String n = NAMES.claim(name);
      try {
        RailGroup group = new RailGroup(n, shim, checked, jvmDefault);
        announce(group);
        return group;
      } catch (RuntimeException | Error e) {
        NAMES.release(n);
        throw e;
      }
    }

    private RailsConfig resolve() {
      if (file != null || config != null) {
        if (!rails.isEmpty() || policy != null || connectTimeout != null || probeInterval != null
            || hedgeDelay != null) {
          throw new IllegalStateException("give either a rails file or rails, policy and timeouts, not both");
        }
        if (config != null) {
          return config;
        }
        try {
          return RailsConfig.parse(file);
        } catch (IOException e) {
          throw new InvalidConfigException("Cannot read the rails file: " + e.getMessage(), e);
        }
      }
      return RailsConfig.of("rail group" + (name != null ? " " + name : ""), rails, policy, connectTimeout,
          probeInterval, hedgeDelay);
    }

    /** Says what runs, and warns about rails that the bind rules leave on TCP (SDP404). */
    private static void announce(RailGroup group) {
      SdpShim shim = group.shim;
      if (shim.protocol() != Protocol.TCP) {
        shim.config().ifPresent(rules -> {
          for (Diagnostic d : group.config.uncoveredBy(rules)) {
            LOG.warn("rails '{}': {}", group.name, DiagnosticText.headline(group.config.source(), d));
          }
        });
      }
      LOG.info("rails '{}': {} over {}; connect timeout {} ms, hedge after {}, probe every {} ms, user timeout {};"
          + " sockets of sdp-shim '{}'", group.name, group.config.policy(), group.rails,
          group.config.connectTimeout().toMillis(), group.hedgeDelayMillis > 0 ? group.hedgeDelayMillis + " ms"
          : "never (off)", group.config.probeInterval().toMillis(),
          group.userTimeoutMillis > 0 ? group.userTimeoutMillis + " ms" : "off", shim.name());
    }
  }
}
