package dev.sdpshim.conf;

/** How serious a diagnostic is, most serious first. */
public enum Severity {
  /** The JDK refuses the file, or the rule can never do what it says. */
  ERROR,
  /** Works, but probably not as intended, or fragile in production. */
  WARNING,
  /** Worth knowing; nothing wrong. */
  INFO,
  /** Cosmetic: accepted and harmless, but unusual. */
  STYLE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether this is at least as serious as {@code threshold}. */
  public boolean atLeast(Severity threshold) {
    return ordinal() <= threshold.ordinal();
  }
}
