package dev.sdpshim.cluster;

import dev.sdpshim.shim.SdpShim;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.jgroups.util.DefaultSocketFactory;

/**
 * JGroups' {@link org.jgroups.util.SocketFactory} over the shim: every {@code Socket} and
 * {@code ServerSocket} JGroups asks for (the TCP transport's connections and listener) comes
 * from the shim's factories, so its bind and connect are judged by the {@code com.sun.sdp.conf}
 * rules and converted as they say. Install it on the transport with
 * {@code transport.setSocketFactory(...)}; protocols that open their own sockets (FD_SOCK2) get
 * it from the transport.
 *
 * <p><b>Channels.</b> The channel methods open channels through the shim and bind those JGroups
 * asks for with an address through {@link SdpShim#bind}. JGroups 5.5's NIO servers (FD_SOCK2)
 * however ask for an unbound channel and then bind and connect it themselves, and a JDK channel
 * cannot be subclassed to intercept that. {@link FD_RING}, the stack's FD_SOCK2, therefore gives
 * its server {@link #withBoundClientChannels}: client channels that come bound through the
 * shim, and tells the server not to bind them again. Other NIO users of this factory bind their
 * channels themselves, judged only under the shim's agent. See docs/cluster.md.
 *
 * <p><b>Other factories.</b> The socket and server-socket halves are plain
 * {@code javax.net} factories, so a factory of the same shape that adds more plugs in through
 * {@link #ClusterSocketFactory(SocketFactory, ServerSocketFactory, SdpShim)} without changing this
 * class: {@link ClusterStack.Builder#rails} gives it a rail group's railed sockets and listeners
 * (docs/cluster.md, "Over rails"). Datagram and multicast sockets
 * (unused by the TCP stack) are JGroups' defaults: the rules are about stream sockets.
 */
public final class ClusterSocketFactory extends DefaultSocketFactory {
  private final SocketFactory sockets;
  private final ServerSocketFactory servers;
  private final SdpShim channels;
  /** Where {@link #createSocketChannel(String)}'s channels are bound; null: they are not. */
  private final InetSocketAddress clientChannelAddress;
  private final String description;

  /** Sockets, listeners and channels of {@code shim}. */
  public ClusterSocketFactory(SdpShim shim) {
    this(shim.socketFactory(), shim.serverSocketFactory(), shim);
  }

  /**
   * Sockets from {@code sockets}, listeners from {@code servers}, channels judged by
   * {@code channels}' rules.
   */
  public ClusterSocketFactory(SocketFactory sockets, ServerSocketFactory servers, SdpShim channels) {
    this(sockets, servers, channels, null);
  }

  private ClusterSocketFactory(SocketFactory sockets, ServerSocketFactory servers, SdpShim channels,
      InetSocketAddress clientChannelAddress) {
    super(Objects.requireNonNull(sockets, "sockets"), Objects.requireNonNull(servers, "servers"));
    this.sockets = sockets;
    this.servers = servers;
    this.channels = Objects.requireNonNull(channels, "channels");
    this.clientChannelAddress = clientChannelAddress;
    this.description = "ClusterSocketFactory[" + sockets + ", " + servers + ", channels of " + channels.name()
        + (clientChannelAddress != null ? ", client channels bound to " + clientChannelAddress : "") + "]";
  }

  /**
   * This factory, except that {@link #createSocketChannel(String)} returns channels already bound
   * to {@code local} through the shim (judged by the bind rules): for a NIO server told not to
   * bind its client channels itself ({@code deferClientBinding}), as {@link FD_RING} does.
   */
  public ClusterSocketFactory withBoundClientChannels(InetSocketAddress local) {
    return new ClusterSocketFactory(sockets, servers, channels, Objects.requireNonNull(local, "local"));
  }

  @Override
  public SocketChannel createSocketChannel(String serviceName) throws IOException {
    SocketChannel channel = channels.openSocketChannel();
    return clientChannelAddress == null ? channel : bound(channel, clientChannelAddress);
  }

  @Override
  public SocketChannel createSocketChannel(String serviceName, SocketAddress bindAddr)
      throws IOException {
    return bound(channels.openSocketChannel(), bindAddr);
  }

  @Override
  public ServerSocketChannel createServerSocketChannel(String serviceName) throws IOException {
    return channels.openServerSocketChannel();
  }

  @Override
  public ServerSocketChannel createServerSocketChannel(String serviceName, int port)
      throws IOException {
    return createServerSocketChannel(serviceName, port, 0, null);
  }

  @Override
  public ServerSocketChannel createServerSocketChannel(String serviceName, int port, int backlog)
      throws IOException {
    return createServerSocketChannel(serviceName, port, backlog, null);
  }

  @Override
  public ServerSocketChannel createServerSocketChannel(String serviceName, int port, int backlog,
      InetAddress bindAddr) throws IOException {
    ServerSocketChannel channel = channels.openServerSocketChannel();
    try {
      return channels.bind(channel, new InetSocketAddress(bindAddr, port), backlog);
    } catch (IOException | RuntimeException e) {
      closeAfter(channel, e);
      throw e;
    }
  }

  private SocketChannel bound(SocketChannel channel, SocketAddress local) throws IOException {
    try {
      return channels.bind(channel, local);
    } catch (IOException | RuntimeException e) {
      closeAfter(channel, e);
      throw e;
    }
  }

  private static void closeAfter(AutoCloseable channel, Exception failure) {
    try {
      channel.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
