package dev.sdpshim.shim;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the JDK's {@code sun.nio.ch.Net.bind/connect} (through the bridge, see
 * {@link JdkInterception}) and a {@link SocketHook}. It runs for every bind and connect of the JVM,
 * UDP and SCTP included, so it first makes sure the socket is an IPv4/IPv6 TCP one, and it makes
 * the shim unable to break a socket by accident:
 * <ul>
 *   <li>an {@link IOException} thrown by the hook propagates: the hook refuses the socket on
 *       purpose (the {@code fail} policy);</li>
 *   <li>any other throwable, from the hook or from the checks here (a descriptor we cannot read,
 *       a JDK whose classes moved, a bug), is logged and swallowed, and the JDK goes on with its
 *       plain TCP bind or connect exactly as without the agent. Only {@link VirtualMachineError}s
 *       (out of memory, stack overflow) go through: they are the JVM's, not ours, and hiding them
 *       would leave the application running in a broken JVM.</li>
 * </ul>
 * A socket opened by the hook itself (say, by a log appender writing to the network) is not
 * judged: the thread is already inside the hook.
 */
final class GuardedHook {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedHook.class);

  /** The bridge's method type: what {@code Net.bind/connect} pass along. */
  static final MethodType BRIDGE_TYPE =
      MethodType.methodType(void.class, FileDescriptor.class, InetAddress.class, int.class);

  private final SocketHook hook;
  private final AtomicLong swallowed = new AtomicLong();

  GuardedHook(SocketHook hook) {
    this.hook = hook;
  }

  /** {@link #beforeBind} bound to this instance, of {@link #BRIDGE_TYPE}. */
  MethodHandle bindHandle() {
    return handle("beforeBind");
  }

  /** {@link #beforeConnect} bound to this instance, of {@link #BRIDGE_TYPE}. */
  MethodHandle connectHandle() {
    return handle("beforeConnect");
  }

  /** Throwables swallowed so far; each one was logged. */
  long swallowedCount() {
    return swallowed.get();
  }

  void beforeBind(FileDescriptor descriptor, InetAddress address, int port) throws IOException {
    guarded("bind", address, port, () -> {
      int fd = tcpDescriptor(descriptor);
      if (fd >= 0) {
        hook.beforeTcpBind(fd, address, port);
      }
      return null;
    });
  }

  void beforeConnect(FileDescriptor descriptor, InetAddress address, int port)
      throws IOException {
    guarded("connect", address, port, () -> {
      int fd = tcpDescriptor(descriptor);
      if (fd >= 0) {
        // The JDK asks its SocketImpl/channel object whether it is bound; we ask the kernel, so
        // that the answer is the same for every JDK class, and for a descriptor bound natively.
        boolean bound = ShimHook.isBound(fd);
        hook.beforeTcpConnect(fd, address, port, bound);
      }
      return null;
    });
  }

  /**
   * Runs one judgement unless the socket was judged already on this thread: the hook's
   * IOException (a refusal) reaches the application, anything else is logged and swallowed.
   */
  private void guarded(String what, InetAddress address, int port, JudgedScope.IoCall<Void> judge)
      throws IOException {
    if (JudgedScope.active()) {
      return;
    }
    try {
      JudgedScope.run(judge);
    } catch (IOException e) {
      throw e;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      swallow(what, address, port, t);
    }
  }

  /**
   * The descriptor when it is an IPv4/IPv6 TCP stream socket, else -1. Net.bind/connect serve
   * DatagramChannel (SOCK_DGRAM) and jdk.sctp (SOCK_STREAM, IPPROTO_SCTP) too; a socket the
   * shim's factories converted already reports IPPROTO_MPTCP or AF_INET_SDP and is left alone.
   * Failures here are not the hook's refusals: they are wrapped so that they get swallowed.
   */
  private static int tcpDescriptor(FileDescriptor descriptor) {
    try {
      int fd = SocketDescriptors.fd(descriptor);
      // This runs for every bind and connect of the JVM, so one system call fewer counts: on Linux
      // IPPROTO_TCP as SO_PROTOCOL exists only on SOCK_STREAM sockets, so SO_TYPE adds nothing.
      if (Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_PROTOCOL) != Libc.IPPROTO_TCP) {
        return -1;
      }
      int family = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_DOMAIN);
      return family == Libc.AF_INET || family == Libc.AF_INET6 ? fd : -1;
    } catch (IOException e) {
      throw new IllegalStateException("cannot classify the socket: " + e.getMessage(), e);
    }
  }

  /**
   * The first failure is logged with its stack trace; later ones in one line each at debug
   * level, so that a shim bug met by every socket does not flood the log.
   */
  private void swallow(String what, InetAddress address, int port, Throwable t) {
    long n = swallowed.incrementAndGet();
    try {
      if (n == 1) {
        LOG.warn("sdp-shim failed inside {} to {}:{} and left the socket as plain TCP; the "
            + "application is not affected. Later failures are logged at debug level.",
            what, address.getHostAddress(), port, t);
      } else {
        LOG.debug("sdp-shim failed inside {} to {}:{} (failure #{}); socket left as plain TCP: {}",
            what, address.getHostAddress(), port, n, t.toString());
      }
    } catch (RuntimeException | LinkageError e) {
      // A broken logger must not break the socket either.
    }
  }

  private MethodHandle handle(String name) {
    try {
      return MethodHandles.lookup().findVirtual(GuardedHook.class, name,
          BRIDGE_TYPE).bindTo(this);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
