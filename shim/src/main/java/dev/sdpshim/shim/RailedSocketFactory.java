package dev.sdpshim.shim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} whose connects are railed by a {@link RailGroup}:
 * <ul>
 *   <li>{@link #createSocket(String, int)}, {@link #createSocket(InetAddress, int)}, and the
 *       {@code connect} of a socket from {@link #createSocket()} that was not bound first, place
 *       the connection on a rail (bound to the rail's address, so the <em>bind</em> rules decide
 *       SDP) and fail over to the next healthy rail, transparently;</li>
 *   <li>the four-argument forms, and sockets the application binds itself, chose their local
 *       address: they are not railed and follow the shim's rules as from
 *       {@link ShimSocketFactory};</li>
 *   <li>a peer outside every rail's subnet is connected without a rail (connect rules decide).</li>
 * </ul>
 *
 * <p>The public no-arg constructor, for frameworks that take a factory class name, uses
 * {@link RailGroup#fromSystemProperties()} ({@code -Dsdpshim.rails=FILE}).
 */
public final class RailedSocketFactory extends SocketFactory {
  private final RailGroup group;

  /**
   * A factory of the group configured from system properties.
   *
   * @throws InvalidConfigException if {@code -Dsdpshim.rails} is missing or its file is invalid,
   *     or the shim's properties or rules are
   */
  public RailedSocketFactory() {
    this(RailGroup.fromSystemProperties());
  }

  RailedSocketFactory(RailGroup group) {
    this.group = Objects.requireNonNull(group, "group");
  }

  /** The factory of the group configured from system properties. */
  public static SocketFactory getDefault() {
    return RailGroup.fromSystemProperties().socketFactory();
  }

  @Override
  public Socket createSocket() throws IOException {
    return new RailSocketImpl.RailSocket(new RailSocketImpl(group));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(InetAddress.getByName(host), port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(Objects.requireNonNull(host, "host"), port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return group.shim().socketFactory().createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return group.shim().socketFactory().createSocket(address, port, localAddress, localPort);
  }

  private Socket connected(InetSocketAddress remote) throws IOException {
    Socket socket = createSocket();
    socket.connect(remote); // closes the socket when it fails
    return socket;
  }

  @Override
  public String toString() {
    return "RailedSocketFactory[" + group.name() + "]";
  }
}
