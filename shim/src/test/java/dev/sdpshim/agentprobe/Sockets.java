package dev.sdpshim.agentprobe;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the kernel says about a socket, found from the outside: the probe has no access to the
 * JDK's descriptors (no --add-opens, and it must not rely on what the agent opened), so it scans
 * /proc/self/fd for the socket with the given local and peer address, and asks getsockopt.
 */
@SuppressWarnings("restricted") // the probe reads getsockopt itself, as an outsider
final class Sockets {
  static final int AF_UNIX = 1;
  static final int SOL_SOCKET = 1;
  static final int SO_TYPE = 3;
  static final int SO_PROTOCOL = 38;
  static final int SO_DOMAIN = 39;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle GETSOCKOPT = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("getsockopt"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle GETSOCKNAME = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("getsockname"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle GETPEERNAME = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("getpeername"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

  private Sockets() {
  }

  /**
   * getsockopt(SOL_SOCKET, option) of the IP socket of {@code type} (SOCK_STREAM 1, SOCK_DGRAM 2)
   * with these ports; peer port 0 for one that is not connected.
   */
  static int option(int type, int localPort, int peerPort, int option) throws IOException {
    return getsockopt(fd(type, localPort, peerPort), option);
  }

  /** getsockopt(SOL_SOCKET, option) of the Unix-domain socket bound to {@code path}. */
  static int unixOption(Path path, int option) throws IOException {
    for (int fd : socketDescriptors()) {
      if (getsockopt(fd, SO_DOMAIN) == AF_UNIX && path.toString().equals(unixPath(fd))) {
        return getsockopt(fd, option);
      }
    }
    throw new IOException("no Unix-domain socket bound to " + path);
  }

  static int fd(int type, int localPort, int peerPort) throws IOException {
    for (int fd : socketDescriptors()) {
      if (isIpSocket(fd, type) && port(GETSOCKNAME, fd) == localPort
          && port(GETPEERNAME, fd) == peerPort) {
        return fd;
      }
    }
    throw new IOException("no socket with local port " + localPort + ", peer port " + peerPort);
  }

  /**
   * Whether {@code fd} is an IP socket of {@code type}; false for a descriptor that was closed
   * since the listing (other threads, e.g. the Attach Listener, open and close sockets meanwhile).
   */
  private static boolean isIpSocket(int fd, int type) {
    try {
      return getsockopt(fd, SO_DOMAIN) != AF_UNIX && getsockopt(fd, SO_TYPE) == type;
    } catch (IOException closedMeanwhile) {
      return false;
    }
  }

  private static List<Integer> socketDescriptors() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      return entries.filter(e -> {
        try {
          return Files.readSymbolicLink(e).toString().startsWith("socket:");
        } catch (IOException gone) {
          return false;
        }
      }).map(e -> Integer.parseInt(e.getFileName().toString())).toList();
    }
  }

  static int getsockopt(int fd, int option) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment value = arena.allocate(JAVA_INT);
      MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
      if ((int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, option, value, length) != 0) {
        throw new IOException("getsockopt(" + fd + ", " + option + ") failed");
      }
      return value.get(JAVA_INT, 0);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  /** The port of getsockname/getpeername; 0 when it fails (not connected) or is unbound. */
  private static int port(MethodHandle call, int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment address = arena.allocate(128);
      MemorySegment length = arena.allocateFrom(JAVA_INT, 128);
      if ((int) call.invokeExact(fd, address, length) != 0) {
        return 0;
      }
      return Short.toUnsignedInt(address.get(PORT, 2));
    } catch (Throwable t) {
      return 0;
    }
  }

  private static String unixPath(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment address = arena.allocate(128);
      MemorySegment length = arena.allocateFrom(JAVA_INT, 128);
      if ((int) GETSOCKNAME.invokeExact(fd, address, length) != 0) {
        return null;
      }
      int n = Math.max(0, length.get(JAVA_INT, 0) - 2); // after sa_family
      byte[] bytes = address.asSlice(2, n).toArray(ValueLayout.JAVA_BYTE);
      int end = 0;
      while (end < bytes.length && bytes[end] != 0) {
        end++;
      }
      return new String(bytes, 0, end, StandardCharsets.UTF_8);
    } catch (Throwable t) {
      return null;
    }
  }
}
