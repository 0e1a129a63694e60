package dev.sdpshim.bench;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/**
 * The JDK's own SDP provider, {@code sun.net.sdp.SdpProvider} (JDK 7–25), constructed by
 * reflection: its constructor reads the file named by {@code com.sun.sdp.conf}, which is exactly the
 * loading work the JDK does at the first bind or connect of a JVM. Needs
 * {@code --add-opens java.base/sun.net.sdp=ALL-UNNAMED}. JDK 26 removed the class (JDK-8366575).
 */
public final class JdkSdpProvider {
  private static final String CLASS_NAME = "sun.net.sdp.SdpProvider";
  private static final Constructor<?> CONSTRUCTOR = find();

  private JdkSdpProvider() {}

  /** Whether this JDK still has the provider. */
  public static boolean available() {
    return CONSTRUCTOR != null;
  }

  /** Why the provider cannot be used here, for a skip message. */
  public static String unavailableReason() {
    return CLASS_NAME + " is absent from Java " + Runtime.version().feature()
        + ": JDK 26 removed SDP support (JDK-8366575), so there is no JDK loader to compare with";
  }

  private static Constructor<?> find() {
    Class<?> type;
    try {
      type = Class.forName(CLASS_NAME);
    } catch (ClassNotFoundException e) {
      return null;
    }
    try {
      Constructor<?> c = type.getDeclaredConstructor();
      c.setAccessible(true);
      return c;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(CLASS_NAME + " has no no-argument constructor on Java " + Runtime.version(), e);
    } catch (RuntimeException e) {
      // InaccessibleObjectException: the JVM was started without the --add-opens.
      throw new IllegalStateException(CLASS_NAME + " is not accessible; start the JVM with "
          + "--add-opens java.base/sun.net.sdp=ALL-UNNAMED", e);
    }
  }

  /**
   * Loads {@code file} the JDK's way and returns the provider. A file the JDK refuses throws
   * {@link IllegalArgumentException} with the JDK's message.
   */
  public static synchronized Object load(Path file) {
    if (CONSTRUCTOR == null) {
      throw new UnsupportedOperationException(unavailableReason());
    }
    String old = System.getProperty("com.sun.sdp.conf");
    System.setProperty("com.sun.sdp.conf", file.toString());
    try {
      return CONSTRUCTOR.newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("the JDK refuses " + file + ": " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    } finally {
      if (old == null) {
        System.clearProperty("com.sun.sdp.conf");
      } else {
        System.setProperty("com.sun.sdp.conf", old);
      }
    }
  }
}
