package dev.sdpshim.shim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Objects;
import javax.net.ServerSocketFactory;

/**
 * A {@link ServerSocketFactory} whose listeners follow the bind rules of an {@link SdpShim}. A
 * listener created with a port only is bound to the wildcard address, and the bind rules see the
 * wildcard (0.0.0.0), as with the JDK. Accepted sockets are never judged; they share the
 * listener's protocol (a converted listener accepts converted sockets).
 *
 * <p>The public no-arg constructor and {@link #getDefault()} use the instance configured from
 * system properties ({@link SdpShim#fromSystemProperties()}).
 */
public final class ShimServerSocketFactory extends ServerSocketFactory {
  private static final int DEFAULT_BACKLOG = 50;

  private final SdpShim shim;
  private final ShimServerSocket.BeforeListen beforeListen;

  /**
   * A factory of the instance configured from system properties.
   *
   * @throws InvalidConfigException if those properties or the rules file are invalid
   */
  public ShimServerSocketFactory() {
    this(SdpShim.fromSystemProperties());
  }

  ShimServerSocketFactory(SdpShim shim) {
    this(shim, ShimServerSocket.BeforeListen.NOTHING);
  }

  /** Listeners that get {@code beforeListen} at their bind, once converted if a rule says so. */
  ShimServerSocketFactory(SdpShim shim, ShimServerSocket.BeforeListen beforeListen) {
    this.shim = Objects.requireNonNull(shim, "shim");
    this.beforeListen = Objects.requireNonNull(beforeListen, "beforeListen");
  }

  /**
   * The factory of the instance configured from system properties, by the
   * {@code javax.net.ServerSocketFactory.getDefault()} convention.
   *
   * @throws InvalidConfigException if those properties or the rules file are invalid
   */
  public static ServerSocketFactory getDefault() {
    return SdpShim.fromSystemProperties().serverSocketFactory();
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new ShimServerSocket(shim.policy(), beforeListen);
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return bound(new InetSocketAddress(port), DEFAULT_BACKLOG);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return bound(new InetSocketAddress(port), backlog);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress)
      throws IOException {
    return bound(new InetSocketAddress(ifAddress, port), backlog);
  }

  private ServerSocket bound(InetSocketAddress local, int backlog) throws IOException {
    ServerSocket server = createServerSocket();
    try {
      server.bind(local, backlog);
      return server;
    } catch (IOException | RuntimeException e) {
      ShimSocket.closeAfter(server, e);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "ShimServerSocketFactory[" + shim.name() + "]";
  }
}
