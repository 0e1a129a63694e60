package dev.sdpshim.shim;

import static java.lang.constant.ConstantDescs.CD_MethodHandle;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_int;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.AccessFlag;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only contact with JDK internals besides {@link SocketDescriptors}. Checked against
 * Temurin 25 with {@code javap -p -c} on the jrt image:
 *
 * <p><b>Where to intercept.</b> Every TCP bind and connect of the JDK, whichever API started it,
 * is a call from one of the JDK's TCP socket classes ({@link #TCP_CLASSES}: NioSocketImpl behind
 * Socket/ServerSocket, SocketChannelImpl, ServerSocketChannelImpl, the Unix
 * AsynchronousSocketChannel/AsynchronousServerSocketChannel) to the static methods
 * {@code sun.nio.ch.Net.bind} and {@code Net.connect}, right where JDK 7 to 25 called
 * {@code sun.net.NetHooks}, with the same arguments. Those call sites exist on JDK 17 to 26+,
 * unlike NetHooks (gone in 26 with SDP support). The agent redirects exactly these calls, and no
 * others, to a bridge method of the same name and descriptor that runs the hook and then calls
 * Net. Net itself is left alone because DatagramChannel and jdk.sctp call it too: telling their
 * sockets apart there would cost two getsockopt system calls on every bind and connect of the
 * JVM, a few percent of a loopback connect, where the call site says "TCP" for free.
 *
 * <p><b>How java.base reaches the shim.</b> Code in java.base is loaded by the boot loader and
 * cannot name a class on the application class path. So the agent defines a tiny class
 * {@value #BRIDGE_NAME} inside java.base (same package as Net, through a private lookup once the
 * agent has opened sun.nio.ch to itself) whose two static volatile fields hold
 * {@link MethodHandle}s, a type java.base knows. Each bridge method invokes its handle, if set
 * ({@link GuardedHook}, on the application side), then the Net method it stands for.
 *
 * <p><b>The JDK's own SDP support</b> (JDK 7 to 25) lives in {@code sun.net.NetHooks}, whose
 * static initialiser builds {@code sun.net.sdp.SdpProvider} from {@code com.sun.sdp.conf}. Left
 * alone it would convert the same sockets again (on this machine it refuses with "IPv6 not
 * supported"), and a file it cannot parse makes the first socket of the JVM fail with
 * ExceptionInInitializerError. The agent turns NetHooks' static initialiser and both of its hooks
 * into a bare {@code return}: the provider is never built and the file never read by the JDK.
 * JDK 26+ has no NetHooks; nothing to do there.
 *
 * <p><b>Why this is safe.</b> Only the owner class of those invokestatic instructions changes,
 * and a connect call also passes the calling object ({@code this}, pushed just before the call),
 * from which the hook reads whether the socket is bound as the JDK itself did before calling
 * NetHooks, without a system call. Net receives the same arguments and returns the same result,
 * and no field, method or class of the JDK is added or removed (retransform forbids it anyway). A socket the hook leaves alone is bound
 * and connected by exactly the JDK's code. The bridge forwards only the hook's IOException;
 * GuardedHook swallows everything else. A call the bridge has no method for (an overload a future
 * JDK adds) makes the agent refuse to install rather than leave some sockets unjudged.
 *
 * <p>Bytecode is read and written with the JDK's ClassFile API (java.lang.classfile, final in
 * JDK 24), so the agent needs no bytecode library that could lag behind new class file versions.
 */
final class JdkInterception implements ClassFileTransformer {
  static final String BRIDGE_NAME = "sun.nio.ch.SdpShimBridge";
  static final String NET = "sun/nio/ch/Net";
  static final String NET_HOOKS = "sun/net/NetHooks";
  /** The JDK's TCP socket classes: their Net.bind/connect calls are the ones the agent judges. */
  static final List<String> TCP_CLASSES = List.of("sun/nio/ch/NioSocketImpl",
      "sun/nio/ch/SocketChannelImpl", "sun/nio/ch/ServerSocketChannelImpl",
      "sun/nio/ch/AsynchronousSocketChannelImpl", "sun/nio/ch/AsynchronousServerSocketChannelImpl",
      "sun/nio/ch/UnixAsynchronousSocketChannelImpl");

  private static final ClassDesc CD_BRIDGE = ClassDesc.of(BRIDGE_NAME);
  private static final ClassDesc CD_NET = ClassDesc.ofInternalName(NET);
  private static final ClassDesc CD_FILE_DESCRIPTOR = ClassDesc.of("java.io.FileDescriptor");
  private static final ClassDesc CD_INET_ADDRESS = ClassDesc.of("java.net.InetAddress");
  private static final ClassDesc CD_PROTOCOL_FAMILY = ClassDesc.of("java.net.ProtocolFamily");
  private static final ClassDesc CD_SOCKET_ADDRESS = ClassDesc.of("java.net.SocketAddress");
  private static final ClassDesc CD_INET_SOCKET_ADDRESS = ClassDesc.of("java.net.InetSocketAddress");
  /** (FileDescriptor, InetAddress, int)void: the bind hook's handle. */
  private static final MethodTypeDesc HOOK_TYPE = GuardedHook.BIND_TYPE.describeConstable().orElseThrow();
  /** The connect hook's: the same and the calling socket object. */
  private static final MethodTypeDesc CONNECT_HOOK_TYPE =
      GuardedHook.CONNECT_TYPE.describeConstable().orElseThrow();
  /**
   * The Net overloads the TCP classes call (JDK 17 to 26), by name and descriptor: the bridge has
   * a method of each. The name is also the bridge field holding the hook: "bind" or "connect".
   */
  private static final List<NameAndType> NET_METHODS = List.of(
      new NameAndType("bind", HOOK_TYPE),
      new NameAndType("bind", HOOK_TYPE.insertParameterTypes(0, CD_PROTOCOL_FAMILY)),
      new NameAndType("connect", HOOK_TYPE.changeReturnType(CD_int)),
      new NameAndType("connect",
          HOOK_TYPE.changeReturnType(CD_int).insertParameterTypes(0, CD_PROTOCOL_FAMILY)),
      new NameAndType("connect", MethodTypeDesc.of(CD_int, CD_PROTOCOL_FAMILY,
          CD_FILE_DESCRIPTOR, CD_SOCKET_ADDRESS)));
  private static final Set<String> NET_HOOKS_EMPTIED =
      Set.of("<clinit>", "beforeTcpBind", "beforeTcpConnect");

  /** A static method of Net the bridge stands in for. */
  record NameAndType(String name, MethodTypeDesc type) {
    static NameAndType of(InvokeInstruction call) {
      return new NameAndType(call.name().stringValue(), call.typeSymbol());
    }

    boolean isConnect() {
      return name.equals("connect");
    }

    /**
     * The bridge method's type: Net's, and for a connect the calling socket object as a last
     * argument, from which the hook reads whether it is bound (no system call needed).
     */
    MethodTypeDesc bridgeType() {
      return isConnect() ? type.insertParameterTypes(type.parameterCount(), CD_Object) : type;
    }
  }

  private final boolean interceptNet;
  /** Internal names of the classes transformed so far. */
  private final Set<String> transformed = ConcurrentHashMap.newKeySet();
  private volatile Throwable failure;

  /**
   * @param interceptNet whether to redirect the TCP classes' Net calls (off when the shim is disabled: then only the
   *     JDK's own SDP support is switched off)
   */
  private JdkInterception(boolean interceptNet) {
    this.interceptNet = interceptNet;
  }

  /**
   * Switches off the JDK's SDP support and, when {@code hook} is given, routes every TCP bind
   * and connect through it.
   *
   * @throws IllegalStateException if this JDK is not laid out as expected; the JVM is then as
   *     it was, except that the JDK's SDP support may already be off
   */
  static void install(Instrumentation instrumentation, GuardedHook hook) {
    JdkInterception interception = new JdkInterception(hook != null);
    Class<?> bridge = null;
    if (hook != null) {
      SocketDescriptors.grantAccess(instrumentation); // also opens sun.nio.ch for the bridge
      bridge = bridge();
      boolean patchedBefore = isInstalled(bridge);
      setHooks(bridge, hook);
      if (patchedBefore) {
        // Attached a second time: the JDK already calls the bridge and NetHooks is already empty
        // (the first agent's transformer stays registered); only the hook changes.
        return;
      }
    }
    instrumentation.addTransformer(interception, true);
    try {
      if (hook != null) {
        for (String tcpClass : TCP_CLASSES) {
          interception.ensureTransformed(instrumentation, tcpClass, true);
        }
      }
      interception.ensureTransformed(instrumentation, NET_HOOKS, false);
    } catch (RuntimeException | LinkageError e) {
      // Leave nothing half-installed: a later retransformation must not bring back a
      // hook the agent has reported as off.
      instrumentation.removeTransformer(interception);
      if (bridge != null) {
        setHooks(bridge, null);
      }
      throw e;
    }
  }

  /** Only NetHooks: for the disabled shim. */
  static void neutralizeJdkSdp(Instrumentation instrumentation) {
    install(instrumentation, null);
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className,
      Class<?> redefining, ProtectionDomain domain, byte[] bytes) {
    if (loader != null || className == null) {
      return null;
    }
    try {
      if (interceptNet && TCP_CLASSES.contains(className)) {
        byte[] patched = redirectNetCalls(bytes);
        transformed.add(className);
        return patched;
      }
      if (className.equals(NET_HOOKS)) {
        byte[] emptied = emptyNetHooks(bytes);
        transformed.add(className);
        return emptied;
      }
    } catch (Throwable t) {
      // The JVM ignores a transformer's exception and loads the class unchanged; keep it so
      // that ensureTransformed can say why.
      failure = t;
    }
    return null;
  }

  /**
   * Loads the class (without initialising it) so that the transformer sees it, or retransforms
   * it when it was loaded before the agent (always after a dynamic attach), then checks the
   * result.
   */
  private void ensureTransformed(Instrumentation instrumentation, String internalName,
      boolean required) {
    Class<?> type;
    try {
      type = Class.forName(internalName.replace('/', '.'), false, null);
    } catch (ClassNotFoundException e) {
      if (required) {
        throw new IllegalStateException("this JDK (" + Runtime.version() + ") has no "
            + internalName.replace('/', '.') + "; sdp-shim cannot intercept its sockets", e);
      }
      return; // NetHooks on JDK 26+: no SDP support to switch off
    }
    if (!transformed.contains(internalName)) {
      try {
        instrumentation.retransformClasses(type);
      } catch (UnmodifiableClassException | RuntimeException e) {
        throw new IllegalStateException("cannot retransform " + type.getName(), e);
      }
    }
    if (!transformed.contains(internalName)) {
      throw new IllegalStateException("could not transform " + type.getName() + " on JDK "
          + Runtime.version(), failure);
    }
  }

  /**
   * Sends every {@code Net.bind/connect} call of a TCP socket class to the bridge method of the
   * same name and descriptor; nothing else changes.
   *
   * @throws IllegalStateException if the class makes no such call, or one the bridge has no
   *     method for: the JDK is not laid out as this agent knows it
   */
  static byte[] redirectNetCalls(byte[] bytes) {
    ClassFile files = ClassFile.of();
    ClassModel model = files.parse(bytes);
    String name = model.thisClass().asInternalName();
    int[] redirected = {0};
    byte[] patched = files.transformClass(model, (builder, element) -> {
      if (!(element instanceof MethodModel method)) {
        builder.with(element);
        return;
      }
      boolean isStatic = method.flags().has(AccessFlag.STATIC);
      builder.transformMethod(method, MethodTransform.transformingCode((code, e) -> {
        if (e instanceof InvokeInstruction call && isNetBindOrConnect(call)) {
          NameAndType target = NameAndType.of(call);
          if (!NET_METHODS.contains(target)) {
            throw new IllegalStateException(name + " calls Net." + target.name()
                + target.type().descriptorString() + ", which sdp-shim does not know");
          }
          if (target.isConnect()) {
            // The arguments are on the stack already; the socket object goes on top of them.
            if (isStatic) {
              code.aconst_null();
            } else {
              code.aload(0);
            }
          }
          code.invokestatic(CD_BRIDGE, target.name(), target.bridgeType());
          redirected[0]++;
        } else {
          code.with(e);
        }
      }));
    });
    if (redirected[0] == 0) {
      throw new IllegalStateException(name + " makes no Net.bind/connect call on JDK "
          + Runtime.version() + "; sdp-shim cannot intercept its sockets");
    }
    return patched;
  }

  private static boolean isNetBindOrConnect(InvokeInstruction call) {
    return call.opcode() == Opcode.INVOKESTATIC && call.owner().asInternalName().equals(NET)
        && (call.name().equalsString("bind") || call.name().equalsString("connect"));
  }

  /** NetHooks' static initialiser and hooks become {@code return;}. */
  static byte[] emptyNetHooks(byte[] bytes) {
    ClassFile files = ClassFile.of();
    MethodTransform empty = MethodTransform.<MethodTransform>dropping(e -> e instanceof CodeModel)
        .andThen(MethodTransform.endHandler(method -> method.withCode(CodeBuilder::return_)));
    return files.transformClass(files.parse(bytes), ClassTransform.transformingMethods(
        method -> NET_HOOKS_EMPTIED.contains(method.methodName().stringValue()), empty));
  }

  /**
   * The bridge class in java.base: found if an earlier attach defined it, else defined now.
   * <pre>
   * public final class SdpShimBridge {
   *   public static volatile MethodHandle bind, connect;
   *   public static int connect(ProtocolFamily pf, FileDescriptor fd, InetAddress a, int port,
   *       Object socket) { // the caller's this, pushed by the redirected call site
   *     MethodHandle h = connect; if (h != null) h.invokeExact(fd, a, port, socket);
   *     return Net.connect(pf, fd, a, port);
   *   } // and one such method for each of NET_METHODS; for a SocketAddress, the hook sees its
   *     // InetAddress and port when it is an InetSocketAddress (Net casts it to one anyway)
   * }
   * </pre>
   */
  private static Class<?> bridge() {
    try {
      return Class.forName(BRIDGE_NAME, false, null);
    } catch (ClassNotFoundException absent) {
      // defined below
    }
    try {
      Class<?> net = Class.forName(NET.replace('/', '.'), false, null);
      return MethodHandles.privateLookupIn(net, MethodHandles.lookup()).defineClass(bridgeBytes());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot define " + BRIDGE_NAME + " in java.base", e);
    }
  }

  static byte[] bridgeBytes() {
    return ClassFile.of().build(CD_BRIDGE, type -> {
      type.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
      for (String field : List.of("bind", "connect")) {
        type.withField(field, CD_MethodHandle,
            ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC | ClassFile.ACC_VOLATILE);
      }
      for (NameAndType method : NET_METHODS) {
        type.withMethodBody(method.name(), method.bridgeType(),
            ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, code -> bridgeMethod(code, method));
      }
    });
  }

  /** Hook (if set), then Net: see {@link #bridge()}. */
  private static void bridgeMethod(CodeBuilder code, NameAndType method) {
    List<ClassDesc> params = method.type().parameterList(); // Net's: without the socket object
    int fd = code.parameterSlot(params.indexOf(CD_FILE_DESCRIPTOR));
    int handle = code.allocateLocal(TypeKind.REFERENCE);
    Label callNet = code.newLabel();
    code.getstatic(CD_BRIDGE, method.name(), CD_MethodHandle).astore(handle)
        .aload(handle).ifnull(callNet);
    int socketAddress = params.indexOf(CD_SOCKET_ADDRESS);
    if (socketAddress >= 0) {
      int remote = code.parameterSlot(socketAddress);
      code.aload(remote).instanceOf(CD_INET_SOCKET_ADDRESS).ifeq(callNet)
          .aload(handle).aload(fd)
          .aload(remote).checkcast(CD_INET_SOCKET_ADDRESS)
          .invokevirtual(CD_INET_SOCKET_ADDRESS, "getAddress", MethodTypeDesc.of(CD_INET_ADDRESS))
          .aload(remote).checkcast(CD_INET_SOCKET_ADDRESS)
          .invokevirtual(CD_INET_SOCKET_ADDRESS, "getPort", MethodTypeDesc.of(CD_int));
    } else {
      code.aload(handle).aload(fd)
          .aload(code.parameterSlot(params.indexOf(CD_INET_ADDRESS)))
          .iload(code.parameterSlot(params.indexOf(CD_int)));
    }
    if (method.isConnect()) {
      code.aload(code.parameterSlot(params.size())) // the socket object, the last parameter
          .invokevirtual(CD_MethodHandle, "invokeExact", CONNECT_HOOK_TYPE);
    } else {
      code.invokevirtual(CD_MethodHandle, "invokeExact", HOOK_TYPE);
    }
    code.labelBinding(callNet);
    for (int i = 0; i < params.size(); i++) {
      code.loadLocal(TypeKind.from(params.get(i)), code.parameterSlot(i));
    }
    code.invokestatic(CD_NET, method.name(), method.type())
        .return_(TypeKind.from(method.type().returnType()));
  }

  /** Points the bridge at {@code hook}, or (null) makes it return at once again. */
  private static void setHooks(Class<?> bridge, GuardedHook hook) {
    field(bridge, "bind").setVolatile(hook == null ? null : hook.bindHandle());
    field(bridge, "connect").setVolatile(hook == null ? null : hook.connectHandle());
  }

  /** Whether a previous agent left the bridge with a hook installed (the JDK then calls it). */
  private static boolean isInstalled(Class<?> bridge) {
    return field(bridge, "bind").getVolatile() != null;
  }

  private static VarHandle field(Class<?> bridge, String name) {
    try {
      return MethodHandles.privateLookupIn(bridge, MethodHandles.lookup())
          .findStaticVarHandle(bridge, name, MethodHandle.class);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("unexpected " + BRIDGE_NAME + " in java.base", e);
    }
  }
}
