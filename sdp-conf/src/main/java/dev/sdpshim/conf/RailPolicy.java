package dev.sdpshim.conf;

import java.util.Locale;
import java.util.Optional;

/** How a rail group chooses the rail of a new connection (see docs/rails.md). */
public enum RailPolicy {
  /** Each new connection takes the next healthy rail in turn. */
  ROUND_ROBIN("round-robin"),
  /** The healthy rail with the fewest open connections; ties go to the rail listed first. */
  LEAST_CONNECTIONS("least-connections"),
  /** A peer keeps the rail of its first connection while that rail is healthy. */
  STICKY("sticky");

  private final String keyword;

  RailPolicy(String keyword) {
    this.keyword = keyword;
  }

  /** As written in a rails file: {@code round-robin}, {@code least-connections}, {@code sticky}. */
  public String keyword() {
    return keyword;
  }

  /** The policy named {@code text} (any case); empty for anything else. */
  public static Optional<RailPolicy> parse(String text) {
    for (RailPolicy p : values()) {
      if (p.keyword.equalsIgnoreCase(text)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@code round-robin, least-connections or sticky}, for messages. */
  public static String choices() {
    return ROUND_ROBIN.keyword + ", " + LEAST_CONNECTIONS.keyword + " or " + STICKY.keyword;
  }

  @Override
  public String toString() {
    return keyword.toLowerCase(Locale.ROOT);
  }
}
