package dev.sdpshim.shim;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The stretch of a thread during which the socket in hand has been judged already, so that the
 * agent's hook inside the JDK leaves it alone: the factories' and channel helpers' own bind or
 * connect right after their decision (without this, a socket of the factories would be judged,
 * counted and logged twice under the agent), and the decision itself (a socket it opens, say
 * for a log appender, is not judged at all).
 */
final class JudgedScope {
  private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

  /** A bind or connect that may throw what the JDK's own would. */
  @FunctionalInterface
  interface IoCall<T> {
    T call() throws IOException;
  }

  private JudgedScope() {
  }

  static boolean active() {
    return ACTIVE.get() != null;
  }

  /** Runs {@code call} inside the scope (nested calls simply run). */
  static <T> T run(IoCall<T> call) throws IOException {
    boolean outermost = enter();
    try {
      return call.call();
    } finally {
      exit(outermost);
    }
  }

  /** As {@link #run}, for an asynchronous connect, which reports failures through its result. */
  static <T> T supply(Supplier<T> call) {
    boolean outermost = enter();
    try {
      return call.get();
    } finally {
      exit(outermost);
    }
  }

  private static boolean enter() {
    if (active()) {
      return false;
    }
    ACTIVE.set(Boolean.TRUE);
    return true;
  }

  private static void exit(boolean outermost) {
    if (outermost) {
      ACTIVE.remove();
    }
  }
}
