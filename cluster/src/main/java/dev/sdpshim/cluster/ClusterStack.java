package dev.sdpshim.cluster;

import dev.sdpshim.shim.RailGroup;
import dev.sdpshim.shim.SdpShim;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.XmlConfigurator;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.stack.Configurator;
import org.jgroups.stack.Protocol;
import org.jgroups.util.SocketFactory;

/**
 * The cluster's JGroups stack: the tuned protocols of {@value #RESOURCE} (the one place their
 * settings live; plain JGroups can load the file too) plus what belongs to one deployment, set
 * here: where to listen, which peers to contact, the socket factory (the shim's by default, so
 * every cluster socket follows the rules) and AUTH's shared secret.
 *
 * <pre>{@code
 * List<Protocol> stack = ClusterStack.builder("orders", secret)
 *     .bind(InetAddress.getByName("10.0.0.5"), 7800)
 *     .peers(List.of(new InetSocketAddress("10.0.0.5", 7800), new InetSocketAddress("10.0.0.6", 7800)))
 *     .protocols();
 * JChannel channel = new JChannel(stack);
 * }</pre>
 */
public final class ClusterStack {
  /** The tuned stack, on the class path. */
  public static final String RESOURCE = "sdp-shim-cluster.xml";

  private final String cluster;
  private final byte[] secret;
  private final InetAddress bindAddress;
  private final int port;
  private final List<InetSocketAddress> peers;
  private final Supplier<SocketFactory> socketFactory;
  /** Null: not railed. */
  private final RailGroup rails;
  private final Supplier<Protocol> aboveTransport;

  private ClusterStack(Builder b) {
    this.cluster = b.cluster;
    this.secret = b.secret.clone();
    this.bindAddress = b.bindAddress;
    this.port = b.port;
    this.peers = b.peers;
    this.socketFactory = b.socketFactory;
    this.rails = b.rails;
    this.aboveTransport = b.aboveTransport;
  }

  /** A stack for {@code cluster}, whose members prove they know {@code secret} (not empty). */
  public static Builder builder(String cluster, byte[] secret) {
    return new Builder(cluster, secret);
  }

  /** A new set of protocols, transport first; each channel needs its own. */
  public List<Protocol> protocols() {
    List<Protocol> protocols = tuned();
    TP transport = (TP) protocols.get(0);
    transport.setValue("bind_port", port);
    if (rails == null) {
      transport.setValue("bind_addr", bindAddress);
      // Client sockets bind to the cluster's interface too (not the wildcard): bind-before-connect
      // then puts every cluster socket under the same bind rule (e.g. "bind <IPoIB address> *").
      transport.setValue("client_bind_addr", bindAddress);
    } else {
      // Reachable on every rail at one port: the listener takes the wildcard and the member
      // advertises its address (peers map it to their rail). Client sockets stay unpinned: the
      // transport's bind to the wildcard and port 0 leaves them railed, and each connect binds to
      // the rail it takes.
      transport.setValue("bind_addr", wildcard(bindAddress));
      transport.setValue("external_addr", bindAddress);
    }
    transport.setSocketFactory(socketFactory.get());
    for (Protocol p : protocols) {
      switch (p) {
        case FD_RING ring -> {
          // its connections and, unless railed (then it must be reachable on every rail), its
          // listener on the member's address: judged by the same bind rule as the transport's
          ring.setClientBindAddress(bindAddress);
          if (rails == null) {
            ring.setBindAddress(bindAddress);
          }
        }
        case TCPPING ping -> ping.setInitialHosts(peers);
        case AUTH auth -> {
          SecretToken token = new SecretToken(cluster, secret);
          token.setAuth(auth); // the token proves for the local address, which it finds through AUTH
          auth.setAuthToken(token);
        }
        default -> { }
      }
    }
    if (aboveTransport != null) {
      protocols.add(1, aboveTransport.get());
    }
    return protocols;
  }

  private static InetAddress wildcard(InetAddress like) {
    try {
      return InetAddress.getByAddress(new byte[like instanceof Inet4Address ? 4 : 16]);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }

  /** The cluster name the members join. */
  public String cluster() {
    return cluster;
  }

  private static List<Protocol> tuned() {
    try (InputStream xml = ClusterStack.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (xml == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path of the cluster module");
      }
      List<ProtocolConfiguration> configs = XmlConfigurator.getInstance(xml).getProtocolStack();
      configs.forEach(ProtocolConfiguration::substituteVariables); // ${property:default}, as JChannel does
      return new ArrayList<>(Configurator.createProtocolsAndInitializeAttrs(configs, null));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException("invalid " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** Deployment settings; {@link #build()} makes an immutable, reusable stack description. */
  public static final class Builder {
    private final String cluster;
    private final byte[] secret;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port = 7800;
    private List<InetSocketAddress> peers = List.of();
    private Supplier<SocketFactory> socketFactory =
        () -> new ClusterSocketFactory(SdpShim.fromSystemProperties());
    private Supplier<Protocol> aboveTransport;
    private RailGroup rails;

    private Builder(String cluster, byte[] secret) {
      if (Objects.requireNonNull(cluster, "cluster").isBlank()) {
        throw new IllegalArgumentException("the cluster name must not be blank");
      }
      if (Objects.requireNonNull(secret, "secret").length == 0) {
        throw new IllegalArgumentException("the shared secret must not be empty");
      }
      this.cluster = cluster;
      this.secret = secret.clone();
    }

    /** Convenience for a secret given as text (UTF-8). */
    public static Builder of(String cluster, String secret) {
      return new Builder(cluster, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Where this member listens; default loopback, port 7800. FD_SOCK2 listens at port + 100. */
    public Builder bind(InetAddress address, int port) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** The members' listening addresses (this one's may be among them); discovery contacts them. */
    public Builder peers(List<InetSocketAddress> peers) {
      this.peers = List.copyOf(peers);
      return this;
    }

    /** The shim whose rules judge every cluster socket; default the JVM's (system properties). */
    public Builder shim(SdpShim shim) {
      Objects.requireNonNull(shim, "shim");
      return socketFactory(() -> new ClusterSocketFactory(shim));
    }

    /**
     * Any JGroups socket factory, e.g. a {@link ClusterSocketFactory} over other javax.net
     * factories, or JGroups' own default (for side-by-side measurements).
     */
    public Builder socketFactory(Supplier<SocketFactory> factory) {
      this.socketFactory = Objects.requireNonNull(factory, "factory");
      this.rails = null;
      return this;
    }

    /**
     * Runs the cluster over {@code rails} (docs/rails.md): connections are railed (placed on a
     * rail, bound to its address, failed over), the transport listens on the wildcard address at
     * the member's port so that peers reach it on every rail, and the member advertises its
     * {@link #bind} address, which must be on one of the rails; peers map it onto the others. The
     * group's {@code user-timeout} (e.g. 1 s) is what moves an established connection off a rail
     * that dies under it: without it such a connection hangs. Replaces {@link #shim} and
     * {@link #socketFactory}: the group's shim judges every socket.
     */
    public Builder rails(RailGroup rails) {
      Objects.requireNonNull(rails, "rails");
      socketFactory(() -> new ClusterSocketFactory(rails.socketFactory(), rails.serverSocketFactory(), rails.shim()));
      this.rails = rails;
      return this;
    }

    /** A protocol placed right above the transport, e.g. a test's fault injector. */
    Builder aboveTransport(Supplier<Protocol> protocol) {
      this.aboveTransport = protocol;
      return this;
    }

    public ClusterStack build() {
      if (rails != null && rails.config().railOf(bindAddress) < 0) {
        throw new IllegalArgumentException("the bind address " + bindAddress.getHostAddress() + " is on no rail of "
            + rails + ": a railed member advertises an address on a rail, which peers map onto the others");
      }
      return new ClusterStack(this);
    }
  }
}
