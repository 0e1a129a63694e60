package dev.sdpshim.shim;

import static java.lang.constant.ConstantDescs.CD_MethodHandle;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's only contact with JDK internals besides {@link SocketDescriptors}. Checked against
 * Temurin 25 with {@code javap -p -c} on the jrt image:
 *
 * <p><b>Where to intercept.</b> Every TCP bind and connect of the JDK, whichever API started it
 * (NioSocketImpl behind Socket/ServerSocket, SocketChannelImpl, ServerSocketChannelImpl, the
 * Unix AsynchronousSocketChannel/AsynchronousServerSocketChannel), ends in one of two static
 * methods, {@code sun.nio.ch.Net.bind(ProtocolFamily, FileDescriptor, InetAddress, int)} and
 * {@code sun.nio.ch.Net.connect(ProtocolFamily, FileDescriptor, InetAddress, int)}: the other
 * overloads (without a family, or with a SocketAddress) only delegate to these two. They exist
 * on JDK 17 to 26+, unlike {@code sun.net.NetHooks} (gone in 26 with SDP support), and the JDK
 * calls them right where it called NetHooks, with the same arguments. They also serve
 * DatagramChannel and jdk.sctp, which {@link GuardedHook} filters out by the socket's type.
 *
 * <p><b>How java.base reaches the shim.</b> Code in java.base is loaded by the boot loader and
 * cannot name a class on the application class path. So the agent defines a tiny class
 * {@value #BRIDGE_NAME} inside java.base (same package as Net, through a private lookup once the
 * agent has opened sun.nio.ch to itself) whose two static volatile fields hold
 * {@link MethodHandle}s, a type java.base knows. The instructions put at the start of Net.bind
 * and Net.connect call the bridge, which returns at once while its field is null and otherwise
 * invokes the handle: {@link GuardedHook}, on the application side.
 *
 * <p><b>The JDK's own SDP support</b> (JDK 7 to 25) lives in {@code sun.net.NetHooks}, whose
 * static initialiser builds {@code sun.net.sdp.SdpProvider} from {@code com.sun.sdp.conf}. Left
 * alone it would convert the same sockets again (on this machine it refuses with "IPv6 not
 * supported"), and a file it cannot parse makes the first socket of the JVM fail with
 * ExceptionInInitializerError. The agent turns NetHooks' static initialiser and both of its hooks
 * into a bare {@code return}: the provider is never built and the file never read by the JDK.
 * JDK 26+ has no NetHooks; nothing to do there.
 *
 * <p><b>Why this is safe.</b> The added code passes the method's own arguments to the bridge and
 * changes nothing else; no field, method or class of the JDK is added or removed (retransform
 * forbids it anyway). The methods are otherwise untouched, so a socket the hook leaves alone is
 * bound and connected by exactly the JDK's code. The bridge forwards only the hook's
 * IOException; GuardedHook swallows everything else.
 *
 * <p>Bytecode is read and written with the JDK's ClassFile API (java.lang.classfile, final in
 * JDK 24), so the agent needs no bytecode library that could lag behind new class file versions.
 */
final class JdkInterception implements ClassFileTransformer {
  static final String BRIDGE_NAME = "sun.nio.ch.SdpShimBridge";
  static final String NET = "sun/nio/ch/Net";
  static final String NET_HOOKS = "sun/net/NetHooks";

  private static final ClassDesc CD_BRIDGE = ClassDesc.of(BRIDGE_NAME);
  /** (FileDescriptor, InetAddress, int): the bridge's methods, and Net's locals 1, 2 and 3. */
  private static final MethodTypeDesc HOOK_TYPE = MethodTypeDesc.of(CD_void,
      ClassDesc.of("java.io.FileDescriptor"), ClassDesc.of("java.net.InetAddress"), CD_int);
  private static final String NET_ARGS =
      "(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/InetAddress;I)";
  /** Net's method (name + descriptor) to the bridge method it must call first. */
  private static final Map<String, String> NET_TARGETS = Map.of(
      "bind" + NET_ARGS + "V", "bind",
      "connect" + NET_ARGS + "I", "connect");
  private static final Set<String> NET_HOOKS_EMPTIED =
      Set.of("<clinit>", "beforeTcpBind", "beforeTcpConnect");

  private final boolean interceptNet;
  /** Internal names of the classes transformed so far. */
  private final Set<String> transformed = ConcurrentHashMap.newKeySet();
  private volatile Throwable failure;

  /**
   * @param interceptNet whether to patch Net (off when the shim is disabled: then only the
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
      boolean patchedBefore = isNetPatched(bridge);
      setHooks(bridge, hook);
      if (patchedBefore) {
        // Attached a second time: Net already calls the bridge and NetHooks is already empty
        // (the first agent's transformer stays registered); only the hook changes.
        return;
      }
    }
    instrumentation.addTransformer(interception, true);
    try {
      if (hook != null) {
        interception.ensureTransformed(instrumentation, NET, true);
      }
      interception.ensureTransformed(instrumentation, NET_HOOKS, false);
    } catch (RuntimeException | LinkageError e) {
      // Leave nothing half-installed: a later retransformation of Net must not bring back a
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
      if (interceptNet && className.equals(NET)) {
        byte[] patched = patchNet(bytes);
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

  /** Puts {@code Bridge.bind(fd, address, port)} (or connect) at the start of Net's two methods. */
  static byte[] patchNet(byte[] bytes) {
    ClassFile files = ClassFile.of();
    ClassModel net = files.parse(bytes);
    int[] found = {0};
    byte[] patched = files.transformClass(net, (ClassBuilder builder, ClassElement element) -> {
      String bridgeMethod = element instanceof MethodModel method
          ? NET_TARGETS.get(method.methodName().stringValue()
              + method.methodType().stringValue())
          : null;
      if (bridgeMethod == null) {
        builder.with(element);
        return;
      }
      found[0]++;
      builder.transformMethod((MethodModel) element,
          MethodTransform.transformingCode(callFirst(bridgeMethod)));
    });
    if (found[0] != NET_TARGETS.size()) {
      throw new IllegalStateException("sun.nio.ch.Net has " + found[0] + " of the "
          + NET_TARGETS.size() + " methods sdp-shim intercepts: " + NET_TARGETS.keySet());
    }
    return patched;
  }

  /** Net.x(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port): 1, 2, 3. */
  private static CodeTransform callFirst(String bridgeMethod) {
    return new CodeTransform() {
      @Override
      public void atStart(CodeBuilder code) {
        code.aload(1).aload(2).iload(3).invokestatic(CD_BRIDGE, bridgeMethod, HOOK_TYPE);
      }

      @Override
      public void accept(CodeBuilder code, CodeElement element) {
        code.with(element);
      }
    };
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
   *   public static void bind(FileDescriptor fd, InetAddress a, int port) {
   *     MethodHandle h = bind; if (h != null) h.invokeExact(fd, a, port);
   *   } // and connect alike
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
      for (String name : NET_TARGETS.values()) {
        type.withField(name, CD_MethodHandle,
            ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC | ClassFile.ACC_VOLATILE);
        type.withMethodBody(name, HOOK_TYPE, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
            code -> {
              Label installed = code.newLabel();
              code.getstatic(CD_BRIDGE, name, CD_MethodHandle)
                  .astore(3)
                  .aload(3)
                  .ifnonnull(installed)
                  .return_()
                  .labelBinding(installed)
                  .aload(3)
                  .aload(0)
                  .aload(1)
                  .iload(2)
                  .invokevirtual(CD_MethodHandle, "invokeExact", HOOK_TYPE)
                  .return_();
            });
      }
    });
  }

  /** Points the bridge at {@code hook}, or (null) makes it return at once again. */
  private static void setHooks(Class<?> bridge, GuardedHook hook) {
    field(bridge, "bind").setVolatile(hook == null ? null : hook.bindHandle());
    field(bridge, "connect").setVolatile(hook == null ? null : hook.connectHandle());
  }

  /** Whether a previous agent left the bridge with a hook installed (Net then calls it). */
  private static boolean isNetPatched(Class<?> bridge) {
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
