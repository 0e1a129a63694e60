package dev.sdpshim.shim;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.DiagnosticText;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.RuleMatcher;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured shim: {@code com.sun.sdp.conf} rules, a target protocol and a fallback policy,
 * applied to the sockets its factories make and to the channels bound or connected through it.
 * Immutable and thread-safe; create one per configuration and share it.
 *
 * <pre>{@code
 * SdpShim shim = SdpShim.builder()
 *     .config(Path.of("/etc/sdp.conf"))   // refused here, with every diagnostic, if invalid
 *     .protocol(Protocol.MPTCP)
 *     .build();
 * Socket socket = shim.socketFactory().createSocket("db.example", 5432);   // connect rules
 * SocketChannel channel = shim.openSocketChannel();
 * shim.connect(channel, new InetSocketAddress("db.example", 5432));      // connect rules
 * }</pre>
 *
 * <h2>Channels</h2>
 * The JDK's channel classes cannot be subclassed or wrapped without breaking selectors, so the
 * channel helpers return the JDK's own channels, and the rules apply to the binds and connects
 * made through {@link #bind}, {@link #connect(SocketChannel, SocketAddress)} and
 * {@link #connect(AsynchronousSocketChannel, SocketAddress)}. A bind or connect called on the
 * channel directly (or on {@code channel.socket()}) is not judged. The helpers accept any JDK
 * socket channel, e.g. one opened with {@code SocketChannel.open(StandardProtocolFamily.INET)}.
 *
 * <h2>Configuration from system properties</h2>
 * {@link #fromSystemProperties()} reads {@code com.sun.sdp.conf} (the rules file; unset: no
 * rules, nothing is converted; {@code sdpshim.conf} takes precedence, see
 * {@link #SHIM_CONF_PROPERTY}), {@code sdpshim.protocol} ({@code sdp}, the default;
 * {@code mptcp}; {@code tcp}: dry run), {@code sdpshim.fallback} ({@code tcp}, the default, or
 * {@code fail}) and {@code com.sun.sdp.debug} (present: the JDK's decision log, to standard
 * output when empty, else appended to the file it names).
 *
 * <h2>Statistics</h2>
 * {@link #statistics()} and, on the platform MBean server, {@code dev.sdpshim:type=Shim,name=NAME}
 * with its rules and protocols (see {@link ShimMXBean}); {@link #close()} removes them.
 */
public final class SdpShim implements AutoCloseable {
  /** The rules file, as for the JDK. */
  public static final String CONF_PROPERTY = "com.sun.sdp.conf";
  /**
   * The rules file, read in preference to {@link #CONF_PROPERTY}. For JDK 25, whose own SDP
   * support also reads {@code com.sun.sdp.conf} and would act on the same sockets (failing them
   * with "IPv6 not supported", or EAFNOSUPPORT on kernels without SDP); JDK 26 removed it.
   */
  public static final String SHIM_CONF_PROPERTY = "sdpshim.conf";
  /** The JDK's decision log: empty value for standard output, else a file to append to. */
  public static final String DEBUG_PROPERTY = "com.sun.sdp.debug";
  /** {@code sdp} (default), {@code mptcp} or {@code tcp} (dry run). */
  public static final String PROTOCOL_PROPERTY = "sdpshim.protocol";
  /** {@code tcp} (default) or {@code fail}. */
  public static final String FALLBACK_PROPERTY = "sdpshim.fallback";

  static final String DEFAULT_NAME = "default";
  /** JDK-8366575 removed the JDK's SDP support in 26. */
  private static final int JDK_WITHOUT_SDP = 26;

  private static final Logger LOG = LoggerFactory.getLogger(SdpShim.class);
  private static final InstanceNames NAMES = new InstanceNames("an sdp-shim instance", "shim-");
  private static final Object DEFAULT_LOCK = new Object();
  private static volatile SdpShim defaultInstance;

  private final String name;
  private final SdpConfig config;
  private final Protocol protocol;
  private final Fallback fallback;
  private final boolean jvmDefault;
  private final Statistics stats;
  private final DebugLog debug;
  private final SocketPolicy policy;
  private final ShimSocketFactory socketFactory;
  private final ShimServerSocketFactory serverSocketFactory;
  private final ShimMBeans mbeans;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SdpShim(Builder b, String name, SdpConfig config, DebugLog debug) {
    this.name = name;
    this.config = config;
    this.protocol = b.protocol;
    this.fallback = b.fallback;
    this.jvmDefault = b.jvmDefault;
    List<Rule> rules = config == null ? List.of() : config.rules();
    this.stats = new Statistics(rules);
    this.debug = debug;
    this.policy = new SocketPolicy(RuleMatcher.compile(rules), protocol, fallback,
        ProtocolAvailability.system(), stats, debug, b.warnings);
    this.socketFactory = new ShimSocketFactory(this);
    this.serverSocketFactory = new ShimServerSocketFactory(this);
    this.mbeans = ShimMBeans.register(this, stats);
  }

  /**
   * The JVM-wide instance, named {@code default}, configured from the system properties listed
   * above when first asked for. {@link ShimSocketFactory#getDefault()}, the factories' no-arg
   * constructors (and the agent) use it. It lives as long as the JVM: its {@link #close()} does
   * nothing.
   *
   * @throws InvalidConfigException if a property value or the rules file is invalid; asked
   *     again, it reads the properties and the file again
   */
  public static SdpShim fromSystemProperties() {
    SdpShim shim = defaultInstance;
    if (shim != null) {
      return shim;
    }
    synchronized (DEFAULT_LOCK) {
      if (defaultInstance == null) {
        defaultInstance = fromProperties(System.getProperties(), builder().name(DEFAULT_NAME).jvmDefault());
      }
      return defaultInstance;
    }
  }

  /**
   * Makes the JVM-wide instance the agent's: rules from {@code config}, already read and checked
   * before main, everything else from the system properties. The JDK's own SDP support is off
   * under the agent, so {@code com.sun.sdp.conf} is the shim's alone and draws no warning.
   *
   * @throws InvalidConfigException if a property value is invalid
   * @throws IllegalStateException if the JVM-wide instance was already created
   */
  static SdpShim installDefault(SdpConfig config) {
    synchronized (DEFAULT_LOCK) {
      if (defaultInstance != null) {
        throw new IllegalStateException("the JVM-wide sdp-shim instance already exists");
      }
      Properties properties = new Properties();
      properties.putAll(System.getProperties());
      properties.remove(CONF_PROPERTY);
      properties.remove(SHIM_CONF_PROPERTY);
      defaultInstance = fromProperties(properties, builder().name(DEFAULT_NAME).jvmDefault().config(config));
      return defaultInstance;
    }
  }

  /** A builder: no rules, target {@link Protocol#SDP}, fallback {@link Fallback#TCP}, no debug log. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures {@code builder} from {@code properties} (see the class comment) and builds. */
  static SdpShim fromProperties(Properties properties, Builder builder) {
    builder.fromProperties = true;
    String confProperty = properties.getProperty(SHIM_CONF_PROPERTY) != null ? SHIM_CONF_PROPERTY : CONF_PROPERTY;
    String conf = properties.getProperty(confProperty);
    if (conf != null) {
      if (conf.isBlank()) {
        throw new InvalidConfigException("-D" + confProperty + " is set but empty: name the rules"
            + " file, or remove the property to convert nothing");
      }
      builder.config(path(conf, confProperty));
      if (confProperty.equals(CONF_PROPERTY) && Runtime.version().feature() < JDK_WITHOUT_SDP) {
        LOG.warn("This JDK ({}) still has its own SDP support, which also reads -D{} and acts on"
            + " the sockets its rules match: they fail in the JDK with 'IPv6 not supported' (or,"
            + " with -Djava.net.preferIPv4Stack=true, EAFNOSUPPORT on kernels without SDP). On"
            + " JDK {} name the file with -D{} instead; JDK {} and later ignore -D{}",
            Runtime.version().feature(), CONF_PROPERTY, Runtime.version().feature(),
            SHIM_CONF_PROPERTY, JDK_WITHOUT_SDP, CONF_PROPERTY);
      }
    }
    String protocol = properties.getProperty(PROTOCOL_PROPERTY);
    if (protocol != null) {
      builder.protocol(Protocol.parse(protocol, PROTOCOL_PROPERTY));
    }
    String fallback = properties.getProperty(FALLBACK_PROPERTY);
    if (fallback != null) {
      builder.fallback(Fallback.parse(fallback, FALLBACK_PROPERTY));
    }
    String debug = properties.getProperty(DEBUG_PROPERTY);
    if (debug != null) {
      if (debug.isEmpty()) {
        builder.debugLog(System.out); // the JDK's contract: an empty value means standard output
      } else {
        builder.debugLog(path(debug, DEBUG_PROPERTY));
      }
    }
    return builder.build();
  }

  /** The name of this instance's MXBeans: {@code default}, or as given to the builder. */
  public String name() {
    return name;
  }

  /** The rules; empty when this instance has none (and converts nothing). */
  public Optional<SdpConfig> config() {
    return Optional.ofNullable(config);
  }

  public Protocol protocol() {
    return protocol;
  }

  public Fallback fallback() {
    return fallback;
  }

  /** Sockets whose bind and connect apply the rules; see {@link ShimSocketFactory}. */
  public SocketFactory socketFactory() {
    return socketFactory;
  }

  /** Listeners whose bind applies the rules; see {@link ShimServerSocketFactory}. */
  public ServerSocketFactory serverSocketFactory() {
    return serverSocketFactory;
  }

  /** A JDK socket channel; bind and connect it with {@link #bind} and {@link #connect(SocketChannel, SocketAddress)}. */
  public SocketChannel openSocketChannel() throws IOException {
    return SocketChannel.open();
  }

  /** A JDK server socket channel; bind it with {@link #bind(ServerSocketChannel, SocketAddress, int)}. */
  public ServerSocketChannel openServerSocketChannel() throws IOException {
    return ServerSocketChannel.open();
  }

  /**
   * A JDK asynchronous socket channel in {@code group} (null: the default group); bind and
   * connect it with {@link #bind} and {@link #connect(AsynchronousSocketChannel, SocketAddress)}.
   */
  public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group)
      throws IOException {
    return AsynchronousSocketChannel.open(group);
  }

  /**
   * A JDK asynchronous server socket channel in {@code group} (null: the default group); bind it
   * with {@link #bind(AsynchronousServerSocketChannel, SocketAddress, int)}.
   */
  public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(
      AsynchronousChannelGroup group) throws IOException {
    return AsynchronousServerSocketChannel.open(group);
  }

  /**
   * Binds a socket channel of any of the four kinds after judging the bind by the bind rules,
   * with {@code local} as given. A null {@code local} is judged as the JDK would bind it: the
   * wildcard of the channel's family for SocketChannel and ServerSocketChannel (:: for the JDK's
   * default dual-stack channels), 0.0.0.0 for the asynchronous ones; port 0. Channels of other
   * kinds (datagram, Unix domain) are bound without any rule, as by the JDK.
   *
   * @return {@code channel}
   * @throws IOException what the channel's bind throws, and under {@link Fallback#FAIL} the
   *     shim's refusal of a matched socket that cannot be converted
   */
  public <C extends NetworkChannel> C bind(C channel, SocketAddress local) throws IOException {
    switch (channel) {
      case ServerSocketChannel server -> bind(server, local, 0);
      case AsynchronousServerSocketChannel server -> bind(server, local, 0);
      case SocketChannel client -> {
        beforeBind(client, local, true);
        JudgedScope.run(() -> client.bind(local));
      }
      case AsynchronousSocketChannel client -> {
        beforeBind(client, local, false);
        JudgedScope.run(() -> client.bind(local));
      }
      default -> channel.bind(local);
    }
    return channel;
  }

  /** {@link ServerSocketChannel#bind(SocketAddress, int)} after the bind rules; see {@link #bind(NetworkChannel, SocketAddress)}. */
  public ServerSocketChannel bind(ServerSocketChannel channel, SocketAddress local, int backlog)
      throws IOException {
    beforeBind(channel, local, true);
    return JudgedScope.run(() -> channel.bind(local, backlog));
  }

  /** {@link AsynchronousServerSocketChannel#bind(SocketAddress, int)} after the bind rules. */
  public AsynchronousServerSocketChannel bind(AsynchronousServerSocketChannel channel,
      SocketAddress local, int backlog) throws IOException {
    beforeBind(channel, local, false);
    return JudgedScope.run(() -> channel.bind(local, backlog));
  }

  /**
   * {@link SocketChannel#connect(SocketAddress)} after the connect rules, if the channel is not
   * bound yet (a bound channel is judged by the bind rules only). A wildcard remote address is
   * judged as loopback, where the JDK connects it. If the shim refuses the connect
   * ({@link Fallback#FAIL}) the channel is closed, as after any failed connect.
   *
   * @return what {@code channel.connect} returns
   */
  public boolean connect(SocketChannel channel, SocketAddress remote) throws IOException {
    InetSocketAddress isa = ShimSocket.resolved(remote);
    if (isa != null && channel.isOpen() && !channel.isConnected() && !channel.isConnectionPending()) {
      try {
        policy.beforeConnect(isa, channel.getLocalAddress() != null,
            () -> SocketDescriptors.fd(channel), channel);
      } catch (IOException | RuntimeException e) {
        ShimSocket.closeAfter(channel, e);
        throw e;
      }
    }
    return JudgedScope.run(() -> channel.connect(remote));
  }

  /**
   * {@link AsynchronousSocketChannel#connect(SocketAddress)} after the connect rules, if the
   * channel is not bound yet. A refusal by the shim ({@link Fallback#FAIL}) completes the future
   * exceptionally and closes the channel, as a failed connect does.
   */
  public Future<Void> connect(AsynchronousSocketChannel channel, SocketAddress remote) {
    try {
      beforeConnect(channel, remote);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return JudgedScope.supply(() -> channel.connect(remote));
  }

  /**
   * {@link AsynchronousSocketChannel#connect(SocketAddress, Object, CompletionHandler)} after
   * the connect rules; a refusal by the shim is passed to {@code handler.failed}, in this thread.
   */
  public <A> void connect(AsynchronousSocketChannel channel, SocketAddress remote, A attachment,
      CompletionHandler<Void, ? super A> handler) {
    try {
      beforeConnect(channel, remote);
    } catch (IOException e) {
      handler.failed(e, attachment);
      return;
    }
    JudgedScope.supply(() -> {
      channel.connect(remote, attachment, handler);
      return null;
    });
  }

  /** A snapshot of the counters; see {@link ShimStatistics}. */
  public ShimStatistics statistics() {
    return stats.snapshot(name, protocol, fallback);
  }

  /**
   * Unregisters this instance's MXBeans and closes its debug log file. Sockets already made, and
   * the factories, keep working. Does nothing for {@link #fromSystemProperties()}'s instance.
   */
  @Override
  public void close() {
    if (jvmDefault || !closed.compareAndSet(false, true)) {
      return;
    }
    mbeans.close();
    debug.close();
    NAMES.release(name);
  }

  /** The decision, for the factories, the channel helpers and {@link ShimHook}. */
  SocketPolicy policy() {
    return policy;
  }

  @Override
  public String toString() {
    return "SdpShim[" + name + ": " + stats.rules().size() + " rules"
        + (config == null ? "" : " from " + config.source()) + ", " + protocol + ", fallback " + fallback + "]";
  }

  private void beforeBind(NetworkChannel channel, SocketAddress local, boolean familyWildcard)
      throws IOException {
    if (!channel.isOpen() || channel.getLocalAddress() != null) {
      return; // the JDK throws ClosedChannelException or AlreadyBoundException
    }
    InetSocketAddress isa;
    if (local == null) {
      InetAddress wildcard = familyWildcard ? wildcardOf(channel) : new InetSocketAddress(0).getAddress();
      if (wildcard == null) {
        return; // a Unix domain channel
      }
      isa = new InetSocketAddress(wildcard, 0);
    } else {
      isa = ShimSocket.resolved(local);
      if (isa == null) {
        return; // Unix domain or unresolved address: the JDK decides what happens
      }
    }
    policy.beforeBind(isa, () -> SocketDescriptors.fd(channel), channel);
  }

  /**
   * The wildcard that SocketChannel and ServerSocketChannel bind to for a null address: that of
   * the channel's family. The family is read from the descriptor; if that is impossible, the
   * IPv4 wildcard is assumed (and a matching rule then reports the access problem itself).
   */
  private static InetAddress wildcardOf(NetworkChannel channel) {
    int family;
    try {
      family = Libc.getsockoptInt(SocketDescriptors.fd((Channel) channel),
          Libc.SOL_SOCKET, Libc.SO_DOMAIN);
    } catch (IOException e) {
      return new InetSocketAddress(0).getAddress();
    }
    return switch (family) {
      case Libc.AF_INET -> literal(new byte[4]);
      case Libc.AF_INET6 -> literal(new byte[16]);
      default -> null;
    };
  }

  private void beforeConnect(AsynchronousSocketChannel channel, SocketAddress remote)
      throws IOException {
    InetSocketAddress isa = ShimSocket.resolved(remote);
    if (isa == null || !channel.isOpen()) {
      return;
    }
    try {
      if (channel.getRemoteAddress() != null) {
        return; // the JDK throws AlreadyConnectedException
      }
      policy.beforeConnect(isa, channel.getLocalAddress() != null,
          () -> SocketDescriptors.fd(channel), channel);
    } catch (IOException | RuntimeException e) {
      ShimSocket.closeAfter(channel, e);
      throw e;
    }
  }

  private static InetAddress literal(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Path path(String value, String property) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new InvalidConfigException("Invalid path '" + value + "' for -D" + property + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Collects a configuration; {@link #build()} validates it. Reusable: each build makes a new
   * instance (which needs a name of its own while the other is open).
   */
  public static final class Builder {
    private SdpConfig config;
    private Path configFile;
    private Protocol protocol = Protocol.SDP;
    private Fallback fallback = Fallback.TCP;
    private PrintStream debugStream;
    private Path debugFile;
    private String name;
    private boolean jvmDefault;
    private boolean fromProperties;
    /** Where the once-per-rule fallback WARNs go; tests capture them. */
    Consumer<String> warnings = LOG::warn;

    private Builder() {
    }

    /** Rules already parsed; refused at {@link #build()} unless {@link SdpConfig#isValid()}. */
    public Builder config(SdpConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      this.configFile = null;
      return this;
    }

    /** A rules file, read and validated at {@link #build()}. */
    public Builder config(Path file) {
      this.configFile = Objects.requireNonNull(file, "file");
      this.config = null;
      return this;
    }

    /** The protocol matched sockets are converted to; {@link Protocol#TCP} is a dry run. */
    public Builder protocol(Protocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    public Builder fallback(Fallback fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /** Writes the JDK-format decision log to {@code out} (not closed by the shim); null: none. */
    public Builder debugLog(PrintStream out) {
      this.debugStream = out;
      this.debugFile = null;
      return this;
    }

    /** Appends the JDK-format decision log to {@code file}, opened at {@link #build()}. */
    public Builder debugLog(Path file) {
      this.debugFile = Objects.requireNonNull(file, "file");
      this.debugStream = null;
      return this;
    }

    /**
     * Names the instance's MXBeans ({@code dev.sdpshim:type=Shim,name=NAME}); by default
     * {@code shim-1}, {@code shim-2}, ... Two open instances cannot share a name.
     */
    public Builder name(String name) {
      this.name = InstanceNames.checked(name);
      return this;
    }

    Builder jvmDefault() {
      this.jvmDefault = true;
      return this;
    }

    /**
     * Validates and creates the instance.
     *
     * @throws InvalidConfigException if the rules file cannot be read or is not valid (the
     *     message lists every diagnostic), or the debug log cannot be opened
     * @throws IllegalStateException if an open instance already has this name
     */
    public SdpShim build() {
      SdpConfig rules = configFile != null ? read(configFile) : config;
      if (rules != null && !rules.isValid()) {
        throw ConfigText.refusal(rules);
      }
      String n = NAMES.claim(name);
      DebugLog debug = DebugLog.none();
      try {
        debug = debugFile != null ? DebugLog.appendingTo(debugFile)
            : debugStream != null ? DebugLog.to(debugStream) : DebugLog.none();
        SdpShim shim = new SdpShim(this, n, rules, debug);
        announce(shim, rules);
        return shim;
      } catch (RuntimeException | Error e) {
        debug.close();
        NAMES.release(n);
        throw e;
      }
    }

    private static SdpConfig read(Path file) {
      try {
        return SdpConfig.parse(file);
      } catch (IOException e) {
        throw new InvalidConfigException("Cannot read the com.sun.sdp.conf file: " + e.getMessage(), e);
      }
    }

    private void announce(SdpShim shim, SdpConfig rules) {
      if (rules == null) {
        LOG.info(fromProperties
            ? "sdp-shim '{}': -D" + CONF_PROPERTY + " (or -D" + SHIM_CONF_PROPERTY + ") is not set, so there are"
                + " no rules and no socket will be converted"
            : "sdp-shim '{}': no rules; no socket will be converted", shim.name);
        return;
      }
      for (Diagnostic d : rules.diagnostics()) {
        if (d.severity().atLeast(Severity.WARNING)) {
          LOG.warn("sdp-shim '{}': {}", shim.name, DiagnosticText.headline(rules.source(), d));
        } else {
          LOG.debug("sdp-shim '{}': {}", shim.name, DiagnosticText.headline(rules.source(), d));
        }
      }
      LOG.info("sdp-shim '{}': {} rules from {}; target {}, fallback {}", shim.name,
          rules.rules().size(), rules.source(), shim.protocol, shim.fallback);
    }
  }
}
