package dev.sdpshim.shim;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * A client socket from {@link ShimSocketFactory}: its {@code bind} is judged by the bind rules
 * with the local address as given (null: the wildcard and port 0, as {@link Socket#bind} turns
 * it into), and its {@code connect}, while it is unbound, by the connect rules. A socket bound
 * first is never judged by connect rules. Everything else is plain {@link Socket}.
 *
 * <p>Only the overridable entry points are intercepted: {@code connect(SocketAddress)} delegates
 * to {@code connect(SocketAddress, int)} in {@link Socket}, so overriding the latter catches both.
 * Invalid arguments are left to {@link Socket} so that its exceptions stay the JDK's.
 */
final class ShimSocket extends Socket {
  private final SocketPolicy policy;
  /** Bound by {@link #bindForConnect} with a system call of its own: the JDK learns it at the connect. */
  private boolean boundForConnect;

  ShimSocket(SocketPolicy policy) {
    this.policy = policy;
  }

  private ShimSocket(SocketPolicy policy, Proxy proxy) {
    super(proxy);
    this.policy = policy;
  }

  /**
   * A socket that never connects through a SOCKS proxy the JVM may be configured with, for rails:
   * a railed connect is to the peer's address on the chosen rail, which a proxy would not keep.
   * It also spares each connect the JDK's proxy lookup (it parses a URI per connect).
   */
  static ShimSocket direct(SocketPolicy policy) {
    return new ShimSocket(policy, Proxy.NO_PROXY);
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    judgeBind(bindpoint);
    superBind(bindpoint);
  }

  /**
   * Binds to {@code local}'s address for a connect that follows, as rails do: judged by the bind
   * rules like {@link #bind}, but the port is left to the connect ({@code IP_BIND_ADDRESS_NO_PORT},
   * set after any conversion so that the replacement descriptor has it). A bind to port 0 picks
   * a port unique for the address alone, so one address could hold only as many connections as
   * the ephemeral range has ports; the connect picks one unique per destination.
   */
  void bindForConnect(InetSocketAddress local) throws IOException {
    int family = SocketDescriptors.jdkFamily(this); // before judgeBind, which may replace the descriptor
    judgeBind(local);
    int fd = SocketDescriptors.fd(this);
    try {
      Libc.setsockopt(fd, Libc.IPPROTO_IP, Libc.IP_BIND_ADDRESS_NO_PORT, 1);
    } catch (NativeCallException e) {
      // a protocol without it (SDP may lack it): the bind picks the port, as for any bind
    }
    // bind(2) itself rather than Socket.bind: the JDK's bind asks the kernel for the local address
    // twice right after it (two getsockname), which a railed connect pays on top of the connect's
    // own two; the JDK learns the address when it connects. A socket family or address the call
    // does not take goes to the JDK's bind, which reports it as it always does.
    if (family != 0 && bound(fd, family, local)) {
      boundForConnect = true;
    } else {
      superBind(local);
    }
  }

  private static boolean bound(int fd, int family, InetSocketAddress local) {
    if (family == Libc.AF_INET && local.getAddress() instanceof Inet6Address) {
      return false;
    }
    try {
      Libc.bind(fd, family, local.getAddress(), local.getPort());
      return true;
    } catch (NativeCallException e) {
      return false;
    }
  }

  private void judgeBind(SocketAddress bindpoint) throws IOException {
    if (!isClosed() && !isBound()) {
      InetSocketAddress local = bindpoint == null ? new InetSocketAddress(0) : resolved(bindpoint);
      if (local != null) {
        policy.beforeBind(local, () -> SocketDescriptors.fd(this), this);
      }
    }
  }

  private void superBind(SocketAddress bindpoint) throws IOException {
    JudgedScope.run(() -> {
      super.bind(bindpoint);
      return null;
    });
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    InetSocketAddress remote = resolved(endpoint);
    if (!isClosed() && !isConnected() && timeout >= 0 && remote != null) {
      remote = withoutWildcard(remote);
      if (remote != null) {
        try {
          policy.beforeConnect(remote, isBound() || boundForConnect, () -> SocketDescriptors.fd(this), this);
        } catch (IOException | RuntimeException e) {
          closeAfter(this, e); // Socket.connect closes the socket when the connect fails
          throw e;
        }
      }
    }
    JudgedScope.run(() -> {
      super.connect(endpoint, timeout);
      return null;
    });
  }

  /** The address itself when it is a resolved InetSocketAddress; null for anything else. */
  static InetSocketAddress resolved(SocketAddress address) {
    return address instanceof InetSocketAddress isa && !isa.isUnresolved() ? isa : null;
  }

  /**
   * java.net.Socket connects a wildcard remote address to the local host's address
   * (InetAddress.getLocalHost()); the rules are checked against that. Null when the local host
   * cannot be resolved: the connect will then fail in the JDK with its own message.
   */
  private static InetSocketAddress withoutWildcard(InetSocketAddress remote) {
    if (!remote.getAddress().isAnyLocalAddress()) {
      return remote;
    }
    try {
      return new InetSocketAddress(InetAddress.getLocalHost(), remote.getPort());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static void closeAfter(AutoCloseable closeable, Throwable failure) {
    try {
      closeable.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }
}
