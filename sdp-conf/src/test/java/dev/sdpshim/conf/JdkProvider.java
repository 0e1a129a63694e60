package dev.sdpshim.conf;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * The JDK's own SDP provider (JDK 7–25), driven by reflection as an oracle: its constructor reads
 * {@code com.sun.sdp.conf} and throws on a file it refuses; a bind/connect hook that matches tries
 * to convert the (dummy) descriptor and so throws an IOException, one that does not match returns.
 * Absent on JDK 26+, where the tests that use it are skipped.
 */
final class JdkProvider {
  private static final Class<?> TYPE = find();
  private final Object provider;

  private JdkProvider(Object provider) {
    this.provider = provider;
  }

  static boolean available() {
    return TYPE != null;
  }

  private static Class<?> find() {
    try {
      return Class.forName("sun.net.sdp.SdpProvider");
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  /** The provider for {@code file}; throws {@link Refused} with the JDK's message when refused. */
  static synchronized JdkProvider load(Path file) throws Refused {
    String old = System.getProperty("com.sun.sdp.conf");
    System.setProperty("com.sun.sdp.conf", file.toString());
    try {
      Constructor<?> c = TYPE.getDeclaredConstructor();
      c.setAccessible(true);
      return new JdkProvider(c.newInstance());
    } catch (InvocationTargetException e) {
      throw new Refused(e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    } finally {
      if (old == null) {
        System.clearProperty("com.sun.sdp.conf");
      } else {
        System.setProperty("com.sun.sdp.conf", old);
      }
    }
  }

  /** The JDK's message for a refused file, or null when it accepts it. */
  static String refusal(Path file) {
    try {
      load(file);
      return null;
    } catch (Refused e) {
      return e.getMessage();
    }
  }

  boolean matches(Action action, InetAddress address, int port) {
    String name = action == Action.BIND ? "implBeforeTcpBind" : "implBeforeTcpConnect";
    try {
      Method m = TYPE.getDeclaredMethod(name, FileDescriptor.class, InetAddress.class, int.class);
      m.setAccessible(true);
      m.invoke(provider, new FileDescriptor(), address, port);
      return false;
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException) {
        return true;
      }
      throw new AssertionError("unexpected " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }
}
