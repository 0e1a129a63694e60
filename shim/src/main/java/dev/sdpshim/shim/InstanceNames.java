package dev.sdpshim.shim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names of the open instances of one kind (shims, rail groups). A name names the instance's
 * MXBeans, so two open instances of a kind cannot share one; a closed instance frees its name.
 */
final class InstanceNames {
  private final String kind;
  private final String prefix;
  private final AtomicInteger sequence = new AtomicInteger();
  private final Set<String> open = ConcurrentHashMap.newKeySet();

  /**
   * @param kind for messages, e.g. {@code an sdp-shim instance}
   * @param prefix of generated names, e.g. {@code shim-}
   */
  InstanceNames(String kind, String prefix) {
    this.kind = kind;
    this.prefix = prefix;
  }

  /** A name as given to a builder: not blank. */
  static String checked(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return name;
  }

  /**
   * Takes {@code requested}, or the next generated name when it is null.
   *
   * @throws IllegalStateException if an open instance has that name
   */
  String claim(String requested) {
    String name = requested != null ? requested : prefix + sequence.incrementAndGet();
    if (!open.add(name)) {
      throw new IllegalStateException(kind + " named '" + name + "' is already open; close it or choose another name");
    }
    return name;
  }

  void release(String name) {
    open.remove(name);
  }
}
