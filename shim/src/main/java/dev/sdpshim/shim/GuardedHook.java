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
 * Sits between the JDK's TCP socket classes (their calls of {@code sun.nio.ch.Net.bind/connect}
 * go through the bridge, see {@link JdkInterception}) and a {@link SocketHook}. It runs for every
 * TCP bind and connect of the JVM, so it makes no system call it can avoid, and it makes the shim
 * unable to break a socket by accident:
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

  /** The bridge's bind hook type: what {@code Net.bind} is passed. */
  static final MethodType BIND_TYPE =
      MethodType.methodType(void.class, FileDescriptor.class, InetAddress.class, int.class);
  /** The bridge's connect hook type: what {@code Net.connect} is passed, and the caller's this. */
  static final MethodType CONNECT_TYPE = BIND_TYPE.appendParameterTypes(Object.class);

  private final SocketHook hook;
  private final AtomicLong swallowed = new AtomicLong();

  GuardedHook(SocketHook hook) {
    this.hook = hook;
  }

  /** {@link #beforeBind} bound to this instance, of {@link #BIND_TYPE}. */
  MethodHandle bindHandle() {
    return handle("beforeBind", BIND_TYPE);
  }

  /** {@link #beforeConnect} bound to this instance, of {@link #CONNECT_TYPE}. */
  MethodHandle connectHandle() {
    return handle("beforeConnect", CONNECT_TYPE);
  }

  /** Throwables swallowed so far; each one was logged. */
  long swallowedCount() {
    return swallowed.get();
  }

  void beforeBind(FileDescriptor descriptor, InetAddress address, int port) throws IOException {
    guarded("bind", address, port, () -> {
      hook.beforeTcpBind(descriptor(descriptor), address, port);
      return null;
    });
  }

  /**
   * @param socket the JDK object whose Net.connect call this is (a SocketImpl or channel), or
   *     null if unknown
   */
  void beforeConnect(FileDescriptor descriptor, InetAddress address, int port, Object socket)
      throws IOException {
    guarded("connect", address, port, () -> {
      int fd = descriptor(descriptor);
      hook.beforeTcpConnect(fd, address, port, isBound(socket, fd));
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

  /*
   * Failing to read the socket's state is not the hook's refusal: the IOExceptions of the next
   * two are wrapped so that they get swallowed.
   */

  /** The descriptor's number. */
  private static int descriptor(FileDescriptor descriptor) {
    try {
      return SocketDescriptors.fd(descriptor);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the socket's descriptor: " + e.getMessage(), e);
    }
  }

  /**
   * Whether the socket has a local address: from the JDK's socket object, as the JDK itself
   * decided whether to call its connect hook; else (an object we cannot read) from the kernel,
   * at the cost of a getsockname system call, a few percent of a loopback connect.
   */
  private static boolean isBound(Object socket, int fd) {
    int known = SocketDescriptors.boundState(socket);
    if (known >= 0) {
      return known == 1;
    }
    try {
      return ShimHook.isBound(fd);
    } catch (IOException e) {
      throw new IllegalStateException("cannot tell whether the socket is bound: " + e.getMessage(), e);
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

  private MethodHandle handle(String name, MethodType type) {
    try {
      return MethodHandles.lookup().findVirtual(GuardedHook.class, name, type).bindTo(this);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
