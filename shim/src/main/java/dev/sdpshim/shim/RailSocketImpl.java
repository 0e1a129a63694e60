package dev.sdpshim.shim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The implementation behind a railed {@link Socket}: a shim socket inside, which a connect may
 * replace. A failed connect leaves a JDK socket closed, so a connect that fails over needs a new
 * socket; this implementation is what lets the application keep the one {@code Socket} object it
 * holds (frameworks such as JDBC drivers and JGroups call {@code createSocket()}, then
 * {@code connect}). Options set before the connect are recorded and given again to each new
 * socket, in the order they were set; after the connect everything goes to the connected socket.
 *
 * <p>A socket the application binds itself is not railed: it chose its port, and it connects as
 * any shim socket (bind rules already decided). A bind to the wildcard address and port 0 chooses
 * neither (the kernel would pick both at the connect), so it leaves the socket railed: it is what
 * JGroups' TCP transport does with every socket when no {@code client_bind_addr} is set. Such a
 * socket reports the wildcard address and port 0 until it connects.
 */
final class RailSocketImpl extends SocketImpl {
  /** What the application set before connecting, to give again to a replacement socket. */
  @FunctionalInterface
  interface Setting {
    void applyTo(Socket socket) throws IOException;
  }

  /** The {@code Socket} an application gets: a plain {@link Socket} over this implementation. */
  static final class RailSocket extends Socket {
    private final RailSocketImpl impl;

    RailSocket(RailSocketImpl impl) throws SocketException {
      super(impl);
      this.impl = impl;
    }

    /** The shim socket inside, now (a connect may replace it). */
    Socket current() {
      return impl.socket;
    }
  }

  private final RailGroup group;
  private final List<Setting> settings = new ArrayList<>();
  private Socket socket;
  /** The rail this socket is counted on while open; null when not railed. */
  private Rail rail;
  private volatile boolean closed;

  RailSocketImpl(RailGroup group) {
    this.group = group;
  }

  @Override
  protected void create(boolean stream) throws IOException {
    if (!stream) {
      throw new SocketException("rails carry stream sockets only");
    }
    socket = group.newSocket();
  }

  /** A fresh socket with the application's settings, for the next rail to try. */
  Socket replacement() throws IOException {
    Socket fresh = group.newSocket();
    try {
      for (Setting s : settings) {
        s.applyTo(fresh);
      }
      return fresh;
    } catch (IOException | RuntimeException e) {
      ShimSocket.closeAfter(fresh, e);
      throw e;
    }
  }

  @Override
  protected void connect(String host, int port) throws IOException {
    connect(new InetSocketAddress(InetAddress.getByName(host), port), 0);
  }

  @Override
  protected void connect(InetAddress address, int port) throws IOException {
    connect(new InetSocketAddress(address, port), 0);
  }

  @Override
  protected void connect(SocketAddress address, int timeout) throws IOException {
    InetSocketAddress remote = (InetSocketAddress) address;
    if (remote.isUnresolved()) {
      throw new UnknownHostException(remote.getHostName());
    }
    if (socket.isBound()) {
      socket.connect(remote, timeout);
    } else {
      RailGroup.Connected c = group.connect(remote, timeout, socket, this);
      socket = c.socket();
      rail = c.rail();
      if (closed) { // closed by another thread while connecting: not left open behind a closed Socket
        discard(c);
      }
    }
    this.address = socket.getInetAddress();
    this.port = socket.getPort();
    this.localport = socket.getLocalPort();
  }

  /** Closes a connection made for a socket the application closed meanwhile, and says so. */
  private static void discard(RailGroup.Connected c) throws SocketException {
    if (c.rail() != null) {
      c.rail().closed();
    }
    try {
      c.socket().close();
    } catch (IOException e) {
      // the socket is unusable either way
    }
    throw new SocketException("Socket closed");
  }

  @Override
  protected void bind(InetAddress host, int port) throws IOException {
    if (port == 0 && (host == null || host.isAnyLocalAddress())) {
      return; // nothing chosen: the rail's bind at connect decides address and port
    }
    socket.bind(new InetSocketAddress(host, port));
    this.localport = socket.getLocalPort();
  }

  @Override
  protected void listen(int backlog) throws IOException {
    throw new SocketException("a railed socket is a client socket; use RailGroup.listen for servers");
  }

  @Override
  protected void accept(SocketImpl s) throws IOException {
    throw new SocketException("a railed socket is a client socket; use RailGroup.listen for servers");
  }

  @Override
  protected InputStream getInputStream() throws IOException {
    return socket.getInputStream();
  }

  @Override
  protected OutputStream getOutputStream() throws IOException {
    return socket.getOutputStream();
  }

  @Override
  protected int available() throws IOException {
    return socket.getInputStream().available();
  }

  @Override
  protected void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (rail != null) {
      rail.closed();
    }
    if (socket != null) {
      socket.close();
    }
  }

  @Override
  protected void shutdownInput() throws IOException {
    socket.shutdownInput();
  }

  @Override
  protected void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  protected boolean supportsUrgentData() {
    return true;
  }

  @Override
  protected void sendUrgentData(int data) throws IOException {
    socket.sendUrgentData(data);
  }

  @Override
  public void setOption(int optID, Object value) throws SocketException {
    Setting setting = switch (optID) {
      case TCP_NODELAY -> s -> s.setTcpNoDelay((Boolean) value);
      case SO_LINGER -> s -> s.setSoLinger(value instanceof Integer, value instanceof Integer i ? i : 0);
      case SO_TIMEOUT -> s -> s.setSoTimeout((Integer) value);
      case SO_SNDBUF -> s -> s.setSendBufferSize((Integer) value);
      case SO_RCVBUF -> s -> s.setReceiveBufferSize((Integer) value);
      case SO_KEEPALIVE -> s -> s.setKeepAlive((Boolean) value);
      case SO_OOBINLINE -> s -> s.setOOBInline((Boolean) value);
      case SO_REUSEADDR -> s -> s.setReuseAddress((Boolean) value);
      case IP_TOS -> s -> s.setTrafficClass((Integer) value);
      default -> throw new SocketException("socket option " + optID + " is not supported by railed sockets");
    };
    apply(setting);
  }

  @Override
  public Object getOption(int optID) throws SocketException {
    return switch (optID) {
      case TCP_NODELAY -> socket.getTcpNoDelay();
      case SO_LINGER -> socket.getSoLinger() < 0 ? Boolean.FALSE : (Object) socket.getSoLinger();
      case SO_TIMEOUT -> socket.getSoTimeout();
      case SO_SNDBUF -> socket.getSendBufferSize();
      case SO_RCVBUF -> socket.getReceiveBufferSize();
      case SO_KEEPALIVE -> socket.getKeepAlive();
      case SO_OOBINLINE -> socket.getOOBInline();
      case SO_REUSEADDR -> socket.getReuseAddress();
      case IP_TOS -> socket.getTrafficClass();
      case SO_BINDADDR -> socket.getLocalAddress();
      default -> throw new SocketException("socket option " + optID + " is not supported by railed sockets");
    };
  }

  @Override
  protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
    apply(s -> s.setOption(name, value));
  }

  @Override
  protected <T> T getOption(SocketOption<T> name) throws IOException {
    return socket.getOption(name);
  }

  @Override
  protected Set<SocketOption<?>> supportedOptions() {
    return socket.supportedOptions();
  }

  /** Sets it now, and remembers it for a replacement while not yet connected. */
  private void apply(Setting setting) throws SocketException {
    try {
      setting.applyTo(socket);
    } catch (SocketException e) {
      throw e;
    } catch (IOException e) {
      throw new SocketException(e.getMessage(), e);
    }
    if (!socket.isConnected()) {
      settings.add(setting);
    }
  }
}
