package dev.sdpshim.shim;

import java.io.IOException;
import java.net.InetAddress;

/**
 * What the agent's interception inside the JDK calls before a TCP socket binds or connects: the
 * one seam between "every socket of the JVM" (the agent) and "what to do with this socket" (the
 * shim's decision). The agent calls it only from the JDK's IPv4/IPv6 TCP socket classes (see
 * {@link JdkInterception}): datagram, Unix-domain and SCTP sockets never reach it. Accepted
 * sockets never do either; they share their listener's protocol.
 *
 * <p>Contract, enforced by {@link GuardedHook}: an {@link IOException} means "refuse this
 * bind/connect" (the {@code fail} policy after a rule matched) and reaches the application as the
 * bind's or connect's own exception. Anything unchecked is taken for a bug in the shim: it is
 * logged and swallowed, and the socket goes on as plain TCP. So an implementation must throw
 * IOException only for a socket some rule matched.
 *
 * <p>Calls come from inside the JDK's socket implementations, possibly holding their locks, on
 * any thread (virtual ones included): implementations must be thread-safe, must not block on
 * anything but the socket's own system calls, and must not use the socket object itself.
 */
interface SocketHook {

  /**
   * Before {@code bind(2)}, with the local address and port as the application gave them:
   * wildcard address and port 0 included (a ServerSocket bound to null passes the wildcard).
   *
   * @param fd the socket's descriptor; unbound (the JDK refuses a second bind before this)
   */
  void beforeTcpBind(int fd, InetAddress address, int port) throws IOException;

  /**
   * Before {@code connect(2)}, with the remote address (a wildcard one already replaced by the
   * JDK with the local host) and port.
   *
   * @param alreadyBound whether the socket has a local address (getsockname reports a port other
   *     than 0), i.e. the application bound it first; the JDK's SDP support then consults only
   *     the bind rules ("bind-before-connect") and never converts at connect
   */
  void beforeTcpConnect(int fd, InetAddress address, int port, boolean alreadyBound)
      throws IOException;
}
