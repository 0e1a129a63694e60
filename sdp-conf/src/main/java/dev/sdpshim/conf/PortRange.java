package dev.sdpshim.conf;

/**
 * An inclusive port range exactly as the JDK parsed it. The JDK does not bounds-check ports, so a
 * range may lie partly or wholly outside 0..65535, or be reversed; such a range simply matches
 * fewer ports, or none ({@link #neverMatches()}).
 */
public record PortRange(int low, int high) {
  public static final int MAX_PORT = 65535;
  public static final PortRange ALL = new PortRange(0, MAX_PORT);

  public boolean contains(int port) {
    return port >= low && port <= high;
  }

  /** True when no port in 0..65535 is in the range (reversed, negative, or above 65535). */
  public boolean neverMatches() {
    return low > high || low > MAX_PORT || high < 0;
  }

  /** True when every port 0..65535 is in the range. */
  public boolean coversAllPorts() {
    return low <= 0 && high >= MAX_PORT;
  }

  /** True when this range holds every port of {@code other} that can ever be probed. */
  public boolean covers(PortRange other) {
    if (other.neverMatches()) {
      return true;
    }
    int lo = Math.max(other.low, 0);
    int hi = Math.min(other.high, MAX_PORT);
    return low <= lo && high >= hi;
  }

  /** Canonical spelling: {@code *}, {@code 80}, or {@code 1024-65535}. */
  @Override
  public String toString() {
    if (low == 0 && high == MAX_PORT) {
      return "*";
    }
    return low == high ? Integer.toString(low) : low + "-" + high;
  }
}
