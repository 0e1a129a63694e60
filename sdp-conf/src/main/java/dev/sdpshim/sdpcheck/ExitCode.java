package dev.sdpshim.sdpcheck;

/** The exit statuses of every subcommand, as documented in {@code docs/sdpcheck.md}. */
final class ExitCode {
  /** Nothing at or above the failure threshold; for match-rule: a rule matches. */
  static final int OK = 0;
  /** Findings at or above the threshold; a refused file; for match-rule: no rule matches. */
  static final int FINDINGS = 1;
  /** A file could not be read. */
  static final int UNREADABLE = 2;
  /** Bad command line or probe input. */
  static final int USAGE = 3;

  private ExitCode() {}
}
