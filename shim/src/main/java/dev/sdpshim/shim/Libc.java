package dev.sdpshim.shim;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

/**
 * The libc calls the converter needs, as FFM downcalls. Every call that can fail captures errno
 * in the same downcall (a later Java statement could clobber it) and turns -1 into a
 * {@link NativeCallException}. Constants are Linux's, identical on x86_64 and aarch64.
 *
 * <p>Each call allocates its scratch memory in its own confined arena: conversions are rare
 * compared to the I/O on the socket, and this keeps every buffer's lifetime obvious.
 *
 * <p>Downcalls are restricted methods: the JVM needs {@code --enable-native-access} for the
 * shim's module (or an {@code Enable-Native-Access} manifest entry) to run them without warning.
 */
@SuppressWarnings("restricted") // calling native code is this class's whole purpose
final class Libc {
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  /** OFED's SDP family; one family for IPv4 and IPv6 peers alike. */
  static final int AF_INET_SDP = 27;
  static final int SOCK_STREAM = 1;
  static final int IPPROTO_IP = 0;
  static final int IPPROTO_TCP = 6;
  static final int IPPROTO_IPV6 = 41;
  static final int IPPROTO_MPTCP = 262;

  static final int SOL_SOCKET = 1;
  static final int SO_REUSEADDR = 2;
  static final int SO_TYPE = 3;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_KEEPALIVE = 9;
  static final int SO_OOBINLINE = 10;
  static final int SO_LINGER = 13;
  static final int SO_REUSEPORT = 15;
  static final int SO_PROTOCOL = 38;
  static final int SO_DOMAIN = 39;
  static final int TCP_NODELAY = 1;
  static final int TCP_KEEPIDLE = 4;
  static final int TCP_KEEPINTVL = 5;
  static final int TCP_KEEPCNT = 6;
  /** linux/tcp.h: how long sent data may stay unacknowledged before the kernel drops the connection. */
  static final int TCP_USER_TIMEOUT = 18;
  static final int IP_TOS = 1;
  /** linux/in.h: bind without choosing a port, leaving it to connect (IPv6 sockets take it too). */
  static final int IP_BIND_ADDRESS_NO_PORT = 24;
  static final int IPV6_V6ONLY = 26;
  static final int IPV6_TCLASS = 67;

  static final int F_GETFD = 1;
  static final int F_SETFD = 2;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int FD_CLOEXEC = 1;
  static final int O_NONBLOCK = 04000;
  static final int O_CLOEXEC = 02000000;

  private static final Map<Integer, String> FAMILIES =
      Map.of(AF_INET, "AF_INET", AF_INET6, "AF_INET6", AF_INET_SDP, "AF_INET_SDP");
  private static final Map<Integer, String> PROTOCOLS =
      Map.of(IPPROTO_IP, "0", IPPROTO_TCP, "IPPROTO_TCP", IPPROTO_MPTCP, "IPPROTO_MPTCP");
  private static final Map<Integer, String> LEVELS = Map.of(
      SOL_SOCKET, "SOL_SOCKET", IPPROTO_TCP, "IPPROTO_TCP", IPPROTO_IP, "IPPROTO_IP",
      IPPROTO_IPV6, "IPPROTO_IPV6");
  private static final Map<Integer, String> OPTIONS = Map.ofEntries(
      option(SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR"), option(SOL_SOCKET, SO_TYPE, "SO_TYPE"),
      option(SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF"), option(SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF"),
      option(SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE"),
      option(SOL_SOCKET, SO_OOBINLINE, "SO_OOBINLINE"), option(SOL_SOCKET, SO_LINGER, "SO_LINGER"),
      option(SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT"),
      option(SOL_SOCKET, SO_PROTOCOL, "SO_PROTOCOL"), option(SOL_SOCKET, SO_DOMAIN, "SO_DOMAIN"),
      option(IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY"),
      option(IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE"),
      option(IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL"),
      option(IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT"), option(IPPROTO_IP, IP_TOS, "IP_TOS"),
      option(IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY"),
      option(IPPROTO_IPV6, IPV6_TCLASS, "IPV6_TCLASS"));

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  /** Large enough for sockaddr_in and sockaddr_in6; the port sits at offset 2 in both. */
  private static final long SOCKADDR_STORAGE_SIZE = 128;
  private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

  private static final MethodHandle SOCKET =
      downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle BIND =
      downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle GETSOCKNAME =
      downcall("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  // fcntl is variadic: the two-argument form passes nothing after cmd, the setter one int.
  private static final MethodHandle FCNTL_GET =
      downcall("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle FCNTL_SET = downcall("fcntl",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
      Linker.Option.firstVariadicArg(2));
  private static final MethodHandle DUP3 =
      downcall("dup3", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle CLOSE =
      downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  // No errno capture: strerror(3) does not fail, and it is only called to describe one.
  private static final MethodHandle STRERROR = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

  private Libc() {
  }

  /** socket(2); returns the new descriptor. */
  static int socket(int domain, int type, int protocol) throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int fd = (int) SOCKET.invokeExact(state, domain, type, protocol);
      return check(fd, state, () -> "socket(" + familyName(domain) + ", "
          + (type == SOCK_STREAM ? "SOCK_STREAM" : type) + ", " + protocolName(protocol) + ")");
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** getsockopt(2) of an option made of {@code ints} C ints (1, or 2 for struct linger). */
  static int[] getsockopt(int fd, int level, int option, int ints) throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment value = arena.allocate(JAVA_INT, ints);
      MemorySegment length = arena.allocateFrom(JAVA_INT, (int) value.byteSize());
      int result = (int) GETSOCKOPT.invokeExact(state, fd, level, option, value, length);
      check(result, state, () -> "getsockopt(" + fd + ", " + optionName(level, option) + ")");
      return value.toArray(JAVA_INT);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** getsockopt(2) of an int-valued option. */
  static int getsockoptInt(int fd, int level, int option) throws NativeCallException {
    return getsockopt(fd, level, option, 1)[0];
  }

  /** setsockopt(2) of an option made of {@code values.length} C ints. */
  static void setsockopt(int fd, int level, int option, int... values)
      throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment value = arena.allocateFrom(JAVA_INT, values);
      int result = (int) SETSOCKOPT.invokeExact(
          state, fd, level, option, value, (int) value.byteSize());
      check(result, state, () -> "setsockopt(" + fd + ", " + optionName(level, option) + ", "
          + Arrays.toString(values) + ")");
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * bind(2) of a socket whose addresses are of {@code family} (AF_INET or AF_INET6; an IPv4
   * address is given to an AF_INET6 socket in its IPv4-mapped form, as the JDK does; AF_INET
   * takes IPv4 addresses only).
   */
  static void bind(int fd, int family, InetAddress address, int port) throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment sa = arena.allocate(SOCKADDR_STORAGE_SIZE, 8);
      byte[] a = address.getAddress();
      int length;
      if (family == AF_INET6) {
        sa.set(JAVA_SHORT, 0, (short) AF_INET6);
        sa.set(PORT, 2, (short) port);
        if (a.length == 4) {
          sa.set(JAVA_BYTE, 18, (byte) 0xff);
          sa.set(JAVA_BYTE, 19, (byte) 0xff);
          MemorySegment.copy(a, 0, sa, JAVA_BYTE, 20, 4);
        } else {
          MemorySegment.copy(a, 0, sa, JAVA_BYTE, 8, 16);
          if (address instanceof Inet6Address v6) {
            sa.set(JAVA_INT, 24, v6.getScopeId());
          }
        }
        length = 28;
      } else {
        sa.set(JAVA_SHORT, 0, (short) AF_INET);
        sa.set(PORT, 2, (short) port);
        MemorySegment.copy(a, 0, sa, JAVA_BYTE, 4, 4);
        length = 16;
      }
      int result = (int) BIND.invokeExact(state, fd, sa, length);
      check(result, state, () -> "bind(" + fd + ", " + address.getHostAddress() + ":" + port + ")");
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** The local port from getsockname(2): 0 while the socket is not bound. */
  static int localPort(int fd) throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment address = arena.allocate(SOCKADDR_STORAGE_SIZE, 8);
      MemorySegment length = arena.allocateFrom(JAVA_INT, (int) SOCKADDR_STORAGE_SIZE);
      int result = (int) GETSOCKNAME.invokeExact(state, fd, address, length);
      check(result, state, () -> "getsockname(" + fd + ")");
      return Short.toUnsignedInt(address.get(PORT, 2));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** fcntl(2) with a getter command (F_GETFL, F_GETFD); returns the flags. */
  static int fcntl(int fd, int cmd) throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int result = (int) FCNTL_GET.invokeExact(state, fd, cmd);
      return check(result, state, () -> "fcntl(" + fd + ", " + fcntlName(cmd) + ")");
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** fcntl(2) with a setter command (F_SETFL, F_SETFD). */
  static void fcntl(int fd, int cmd, int arg) throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int result = (int) FCNTL_SET.invokeExact(state, fd, cmd, arg);
      check(result, state, () -> "fcntl(" + fd + ", " + fcntlName(cmd) + ", 0" +
          Integer.toOctalString(arg) + ")");
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * dup3(2): makes {@code newfd} refer to {@code oldfd}'s socket, closing what it was. Used
   * instead of dup2 because dup2 always clears FD_CLOEXEC on {@code newfd}; restoring it with a
   * later fcntl would leave a window in which a concurrent fork/exec inherits the socket.
   */
  static void dup3(int oldfd, int newfd, int flags) throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int result = (int) DUP3.invokeExact(state, oldfd, newfd, flags);
      check(result, state, () -> "dup3(" + oldfd + ", " + newfd + ", "
          + (flags == O_CLOEXEC ? "O_CLOEXEC" : flags) + ")");
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * close(2). Linux releases the descriptor even when close reports an error (EINTR included),
   * so a failure here must never be retried: the number may already belong to someone else.
   */
  static void close(int fd) throws NativeCallException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int result = (int) CLOSE.invokeExact(state, fd);
      check(result, state, () -> "close(" + fd + ")");
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * strerror(3). glibc (since 2.32) and musl return per-thread or constant strings for known
   * values, so reading the result right away is safe without strerror_r's two incompatible ABIs.
   */
  static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
      return text.equals(MemorySegment.NULL) ? "errno " + errno
          : text.reinterpret(Long.MAX_VALUE).getString(0);
    } catch (Throwable t) {
      throw unchecked(t);
    }
  }

  static String familyName(int family) {
    return FAMILIES.getOrDefault(family, Integer.toString(family));
  }

  static String protocolName(int protocol) {
    return PROTOCOLS.getOrDefault(protocol, Integer.toString(protocol));
  }

  /** "SOL_SOCKET, SO_LINGER" for (1, 13); numbers for what the table does not know. */
  static String optionName(int level, int option) {
    String name = OPTIONS.get(key(level, option));
    return LEVELS.getOrDefault(level, Integer.toString(level)) + ", "
        + (name != null ? name : Integer.toString(option));
  }

  private static String fcntlName(int cmd) {
    return switch (cmd) {
      case F_GETFD -> "F_GETFD";
      case F_SETFD -> "F_SETFD";
      case F_GETFL -> "F_GETFL";
      case F_SETFL -> "F_SETFL";
      default -> Integer.toString(cmd);
    };
  }

  private static MethodHandle downcall(String name, FunctionDescriptor descriptor,
      Linker.Option... extra) {
    Linker.Option[] options = Arrays.copyOf(extra, extra.length + 1);
    options[extra.length] = Linker.Option.captureCallState("errno");
    return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, options);
  }

  /** Passes a non-negative result through; turns -1 into the exception for the captured errno. */
  private static int check(int result, MemorySegment state, CallText call)
      throws NativeCallException {
    if (result != -1) {
      return result;
    }
    int errno = (int) ERRNO.get(state, 0L);
    throw new NativeCallException(call.text(), errno, strerror(errno));
  }

  /** invokeExact declares Throwable; only our own exception and unchecked ones can come out. */
  private static RuntimeException rethrow(Throwable t) throws NativeCallException {
    if (t instanceof NativeCallException e) {
      throw e;
    }
    throw unchecked(t);
  }

  private static RuntimeException unchecked(Throwable t) {
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("unexpected checked exception from a downcall", t);
  }

  private static Map.Entry<Integer, String> option(int level, int option, String name) {
    return Map.entry(key(level, option), name);
  }

  private static int key(int level, int option) {
    return level << 16 | option;
  }

  /** Builds the call's text only when it is needed for an error message. */
  @FunctionalInterface
  private interface CallText {
    String text();
  }
}
