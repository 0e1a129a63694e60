package dev.sdpshim.shim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} whose sockets follow the {@code com.sun.sdp.conf} rules of an
 * {@link SdpShim}, with the JDK's semantics:
 * <ul>
 *   <li>{@link #createSocket(String, int)} and {@link #createSocket(InetAddress, int)} connect an
 *       unbound socket: the <em>connect</em> rules decide;</li>
 *   <li>the four-argument forms bind to the local address first (bind-before-connect): only the
 *       <em>bind</em> rules decide, with the local address and port as given (port 0 included);</li>
 *   <li>{@link #createSocket()} returns an unconnected socket whose {@code bind} and
 *       {@code connect} apply the same rules.</li>
 * </ul>
 *
 * <p>Frameworks that take a factory class name (PostgreSQL JDBC's {@code socketFactory}, for
 * one) instantiate it with the public no-arg constructor, which uses the instance configured
 * from system properties ({@link SdpShim#fromSystemProperties()}).
 */
public final class ShimSocketFactory extends SocketFactory {
  private final SdpShim shim;

  /**
   * A factory of the instance configured from system properties.
   *
   * @throws InvalidConfigException if those properties or the rules file are invalid
   */
  public ShimSocketFactory() {
    this(SdpShim.fromSystemProperties());
  }

  ShimSocketFactory(SdpShim shim) {
    this.shim = Objects.requireNonNull(shim, "shim");
  }

  /**
   * The factory of the instance configured from system properties, by the
   * {@code javax.net.SocketFactory.getDefault()} convention.
   *
   * @throws InvalidConfigException if those properties or the rules file are invalid
   */
  public static SocketFactory getDefault() {
    return SdpShim.fromSystemProperties().socketFactory();
  }

  @Override
  public Socket createSocket() {
    return new ShimSocket(shim.policy());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return open(new InetSocketAddress(InetAddress.getByName(host), port), null);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return open(new InetSocketAddress(Objects.requireNonNull(host, "host"), port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return open(new InetSocketAddress(InetAddress.getByName(host), port),
        new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) throws IOException {
    return open(new InetSocketAddress(Objects.requireNonNull(address, "address"), port),
        new InetSocketAddress(localAddress, localPort));
  }

  /** As the Socket constructors do: bind if asked, then connect; closed again on failure. */
  private Socket open(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException | RuntimeException e) {
      ShimSocket.closeAfter(socket, e);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "ShimSocketFactory[" + shim.name() + "]";
  }
}
