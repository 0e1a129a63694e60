package dev.sdpshim.sdpcheck;

import java.util.Locale;

/** The values of {@code --format}. */
enum OutputFormat {
  TEXT, JSON, SARIF, CHECKSTYLE;

  static OutputFormat parse(String s) throws UsageException {
    for (OutputFormat f : values()) {
      if (f.name().equalsIgnoreCase(s)) {
        return f;
      }
    }
    throw new UsageException("--format must be text, json, sarif or checkstyle, not '" + s + "'");
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
