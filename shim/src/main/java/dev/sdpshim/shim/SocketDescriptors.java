package dev.sdpshim.shim;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the OS descriptor behind the JDK's socket objects. The only class that reaches into JDK
 * internals, so that a JDK update breaks one place (checked against Temurin 25):
 * <ul>
 *   <li>{@code java.io.FileDescriptor.fd}: the int behind every FileDescriptor;</li>
 *   <li>{@code java.net.Socket.impl} and {@code java.net.ServerSocket.impl}, and the protected
 *       {@code SocketImpl.getFileDescriptor()}, which the default {@code SocksSocketImpl}
 *       delegates to the platform {@code sun.nio.ch.NioSocketImpl};</li>
 *   <li>the {@code fd} fields of {@code sun.nio.ch.SocketChannelImpl},
 *       {@code ServerSocketChannelImpl}, {@code AsynchronousSocketChannelImpl} and
 *       {@code AsynchronousServerSocketChannelImpl} (the Unix async classes extend the last two).
 *       </li>
 * </ul>
 *
 * <p>That needs java.base to open {@link #PACKAGES} to this class's module: either with
 * {@code --add-opens} on the command line or from an agent through {@link #grantAccess}.
 * Access is checked on each use until it succeeds, so a grant that comes later still works.
 */
final class SocketDescriptors {
  static final List<String> PACKAGES = List.of("java.io", "java.net", "sun.nio.ch");

  private static volatile Handles handles;
  /** How to read a JDK socket object's local address; empty if this JDK has other fields. */
  private static volatile List<ChannelField> boundFields;

  private SocketDescriptors() {
  }

  /**
   * The descriptor of a client socket, creating the socket first if need be: java.net.Socket
   * makes its OS socket lazily, at the first bind, connect or option access. getSoTimeout() is
   * used to force it because every SocketImpl must answer it and NioSocketImpl answers it from
   * a Java field, without a system call that could fail or change anything.
   */
  /** See {@link #jdkFamily}; 0 until learnt. */
  private static volatile int jdkFamily;

  /**
   * The address family of the JDK's IP sockets, AF_INET6 or AF_INET: one for all of them in a JVM
   * (AF_INET when {@code java.net.preferIPv4Stack} is set or the host has no IPv6). Learnt from
   * the first unconverted socket asked about; 0 if that socket is of another family.
   */
  static int jdkFamily(Socket unconverted) throws IOException {
    int family = jdkFamily;
    if (family == 0) {
      family = Libc.getsockoptInt(fd(unconverted), Libc.SOL_SOCKET, Libc.SO_DOMAIN);
      if (family != Libc.AF_INET && family != Libc.AF_INET6) {
        return 0;
      }
      jdkFamily = family;
    }
    return family;
  }

  static int fd(Socket socket) throws IOException {
    if (socket.getChannel() != null) {
      return fd(socket.getChannel()); // an adaptor: the channel owns the descriptor
    }
    socket.getSoTimeout();
    Handles h = handles();
    SocketImpl impl = (SocketImpl) h.socketImpl().get(socket);
    return fd(implDescriptor(h, impl), socket);
  }

  /** As {@link #fd(Socket)}, for a listener; ServerSocket also creates its socket lazily. */
  static int fd(ServerSocket socket) throws IOException {
    if (socket.getChannel() != null) {
      return fd(socket.getChannel());
    }
    socket.getSoTimeout();
    Handles h = handles();
    SocketImpl impl = (SocketImpl) h.serverSocketImpl().get(socket);
    return fd(implDescriptor(h, impl), socket);
  }

  // Channels create their socket in open(), so there is nothing to force.

  static int fd(SocketChannel channel) throws IOException {
    return channelFd(channel);
  }

  static int fd(ServerSocketChannel channel) throws IOException {
    return channelFd(channel);
  }

  static int fd(AsynchronousSocketChannel channel) throws IOException {
    return channelFd(channel);
  }

  static int fd(AsynchronousServerSocketChannel channel) throws IOException {
    return channelFd(channel);
  }

  /** Any of the four socket channel types, when the static type says less. */
  static int fd(Channel channel) throws IOException {
    return channelFd(channel);
  }

  /** The int inside a FileDescriptor, as the JDK's NetHooks hands it to bind/connect hooks. */
  static int fd(FileDescriptor descriptor) throws IOException {
    return fd(descriptor, descriptor);
  }

  /**
   * Whether one of the JDK's TCP socket objects (the {@code this} at its Net.connect calls: a
   * {@code SocketImpl}, {@code SocketChannelImpl} or {@code AsynchronousSocketChannelImpl}) is
   * bound, read from its own state just as JDK 7 to 25 decided whether to call
   * {@code NetHooks.beforeTcpConnect}: 1 bound, 0 not, -1 unknown (another object, or a JDK whose
   * fields differ; ask the kernel then).
   */
  static int boundState(Object jdkSocket) {
    List<ChannelField> fields = boundFields;
    if (fields == null) {
      fields = resolveBoundFields();
      if (fields == null) {
        return -1; // java.base does not open the packages yet: ask again next time
      }
      boundFields = fields;
    }
    for (ChannelField field : fields) {
      if (field.type().isInstance(jdkSocket)) {
        Object local = field.handle().get(jdkSocket);
        return (local instanceof Integer port ? port != 0 : local != null) ? 1 : 0;
      }
    }
    return -1;
  }

  /** The fields, empty if this JDK has others; null while java.base does not open them to us. */
  private static List<ChannelField> resolveBoundFields() {
    if (!missingOpens().isEmpty()) {
      return null;
    }
    try {
      MethodHandles.Lookup own = MethodHandles.lookup();
      Class<?> socketChannel = Class.forName("sun.nio.ch.SocketChannelImpl");
      Class<?> asyncChannel = Class.forName("sun.nio.ch.AsynchronousSocketChannelImpl");
      return List.of(
          new ChannelField(SocketImpl.class, field(own, SocketImpl.class, "localport", int.class)),
          new ChannelField(socketChannel,
              field(own, socketChannel, "localAddress", java.net.SocketAddress.class)),
          new ChannelField(asyncChannel,
              field(own, asyncChannel, "localAddress", java.net.InetSocketAddress.class)));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return List.of(); // fields moved: getsockname answers instead, at one system call
    }
  }

  /**
   * Opens the needed java.base packages to this class's module from a Java agent, for JVMs
   * started without {@code --add-opens}. Nothing else in java.base is touched.
   */
  static void grantAccess(Instrumentation instrumentation) {
    Module base = Object.class.getModule();
    Module shim = SocketDescriptors.class.getModule();
    Map<String, Set<Module>> opens = new HashMap<>();
    PACKAGES.forEach(pkg -> opens.put(pkg, Set.of(shim)));
    instrumentation.redefineModule(base, Set.of(), Map.of(), opens, Set.of(), Map.of());
  }

  /** The packages java.base does not yet open to this class's module; empty when all set. */
  static List<String> missingOpens() {
    Module base = Object.class.getModule();
    Module shim = SocketDescriptors.class.getModule();
    return PACKAGES.stream().filter(pkg -> !base.isOpen(pkg, shim)).toList();
  }

  private static int channelFd(Channel channel) throws IOException {
    if (!channel.isOpen()) {
      throw new ClosedChannelException();
    }
    for (ChannelField field : handles().channelFields()) {
      if (field.type().isInstance(channel)) {
        return fd((FileDescriptor) field.handle().get(channel), channel);
      }
    }
    throw new IOException("cannot find the descriptor of " + channel.getClass().getName()
        + ": not one of the JDK's socket channel classes (a custom SelectorProvider?)");
  }

  private static FileDescriptor implDescriptor(Handles h, SocketImpl impl) throws IOException {
    try {
      return (FileDescriptor) h.implDescriptor().invokeExact(impl);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("SocketImpl.getFileDescriptor() failed for " + impl, t);
    }
  }

  private static int fd(FileDescriptor descriptor, Object owner) throws IOException {
    int fd = descriptor == null ? -1 : (int) handles().descriptorInt().get(descriptor);
    if (fd < 0) {
      throw new IOException("no open descriptor behind " + owner
          + " (closed, or a SocketImpl that does not use one)");
    }
    return fd;
  }

  private static Handles handles() throws IOException {
    Handles h = handles;
    if (h == null) {
      h = resolve(); // racing threads resolve identical handles; either result may win
      handles = h;
    }
    return h;
  }

  private static Handles resolve() throws IOException {
    List<String> missing = missingOpens();
    if (!missing.isEmpty()) {
      throw new IOException(accessAdvice(missing));
    }
    try {
      MethodHandles.Lookup own = MethodHandles.lookup();
      return new Handles(
          field(own, FileDescriptor.class, "fd", int.class),
          field(own, Socket.class, "impl", SocketImpl.class),
          field(own, ServerSocket.class, "impl", SocketImpl.class),
          MethodHandles.privateLookupIn(SocketImpl.class, own).findVirtual(SocketImpl.class,
              "getFileDescriptor", MethodType.methodType(FileDescriptor.class)),
          channelFields(own));
    } catch (ReflectiveOperationException e) {
      throw new IOException("this JDK's socket classes are not laid out as sdp-shim expects (Java "
          + Runtime.version() + "): " + e, e);
    }
  }

  private static List<ChannelField> channelFields(MethodHandles.Lookup own)
      throws ReflectiveOperationException {
    List<ChannelField> fields = new ArrayList<>();
    for (String name : List.of("SocketChannelImpl", "ServerSocketChannelImpl",
        "AsynchronousSocketChannelImpl", "AsynchronousServerSocketChannelImpl")) {
      Class<?> type = Class.forName("sun.nio.ch." + name);
      fields.add(new ChannelField(type, field(own, type, "fd", FileDescriptor.class)));
    }
    return List.copyOf(fields);
  }

  private static VarHandle field(MethodHandles.Lookup own, Class<?> owner, String name,
      Class<?> type) throws ReflectiveOperationException {
    return MethodHandles.privateLookupIn(owner, own).findVarHandle(owner, name, type);
  }

  /** Says exactly which flags are missing, for the module this class is actually in. */
  static String accessAdvice(List<String> missing) {
    Module shim = SocketDescriptors.class.getModule();
    String target = shim.isNamed() ? shim.getName() : "ALL-UNNAMED";
    StringBuilder flags = new StringBuilder();
    for (String pkg : missing) {
      flags.append(flags.isEmpty() ? "" : " ").append("--add-opens java.base/").append(pkg)
          .append('=').append(target);
    }
    return "sdp-shim cannot reach socket descriptors: java.base does not open "
        + String.join(", ", missing) + " to " + (shim.isNamed() ? shim.getName() : "the unnamed "
        + "module") + ". Add " + flags + " to the java command line, or start the JVM with the "
        + "sdp-shim agent (-javaagent), which opens them itself";
  }

  /** A field of the JDK's socket classes, and the class that has it. */
  private record ChannelField(Class<?> type, VarHandle handle) {
  }

  private record Handles(VarHandle descriptorInt, VarHandle socketImpl,
      VarHandle serverSocketImpl, MethodHandle implDescriptor, List<ChannelField> channelFields) {
  }
}
