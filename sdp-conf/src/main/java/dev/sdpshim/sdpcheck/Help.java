package dev.sdpshim.sdpcheck;

import java.io.PrintStream;
import org.apache.commons.cli.Options;

/** The --help texts: what each subcommand does, its options, examples, and the exit statuses. */
final class Help {
  private Help() {}

  static final String EXIT_STATUS = "Exit status: 0 nothing at or above the --fail-on level, 1 findings,\n"
      + "2 a file could not be read, 3 bad usage.";

  static void checkConfig(PrintStream out, Options options) {
    CommandLines.printHelp(out, "sdpcheck [check-config] [options] FILE...",
        "Checks com.sun.sdp.conf files exactly as the JDK reads them and explains every\n"
            + "problem: lines the JDK refuses (which make every socket of the JVM fail), rules\n"
            + "that never match or change nothing, fragile spellings, bind addresses this host\n"
            + "does not have or that are not on InfiniBand, and JDKs that ignore the file.\n"
            + "With --rails, also the rail group file of the railed factories (-Dsdpshim.rails).\n"
            + "FILE - reads standard input.\n\n"
            + "Subcommands (each has --help):\n"
            + "  check-config FILE...      this check; the default when none is named\n"
            + "  show-rules FILE           the rules as the runtime uses them\n"
            + "  match-rule FILE bind|connect ADDRESS PORT\n"
            + "                            which rule converts that bind or connect\n"
            + "  format-config FILE        the file in canonical form, or --diff",
        options,
        "Suppress a code in the file with a comment: '# sdpcheck disable=SDP104,SDP105'\n"
            + "on the first line (whole file) or right before a rule (that rule). Findings\n"
            + "that make the JDK refuse the file are always shown.\n\n"
            + "Examples:\n"
            + "  sdpcheck /etc/sdp.conf\n"
            + "  sdpcheck --offline -f sarif conf/*.conf > sdpcheck.sarif\n"
            + "  sdpcheck --jdk 26 --exclude SDP107 sdp.conf\n"
            + "  sdpcheck --rails rails.conf sdp.conf\n"
            + "  sdpcheck --severity warning --fail-on error - < sdp.conf\n"
            + "  sdpcheck --list-rules\n\n"
            + EXIT_STATUS);
  }

  static void showRules(PrintStream out, Options options) {
    CommandLines.printHelp(out, "sdpcheck show-rules [options] FILE",
        "Prints the rules as the runtime uses them, one per line with its line number:\n"
            + "action in lower case, host names expanded to each address they resolve to\n"
            + "(one line per address, the name in parentheses), IPv6 in RFC 5952 form, port\n"
            + "ranges spelled out (* is 0-65535). Rules that can never match are marked.\n"
            + "A file the JDK refuses is reported on stderr instead; it has no rules then.",
        options,
        "Examples:\n"
            + "  sdpcheck show-rules /etc/sdp.conf\n"
            + "  sdpcheck show-rules --offline sdp.conf | grep '^ *12:'\n\n"
            + "Exit status: 0 rules shown, 1 the JDK refuses the file, 2 it could not be\n"
            + "read, 3 bad usage.");
  }

  static void matchRule(PrintStream out, Options options) {
    CommandLines.printHelp(out, "sdpcheck match-rule [options] FILE (bind|connect) ADDRESS PORT\n"
            + "       sdpcheck match-rule [options] FILE --probes PROBEFILE",
        "Tells which rule, if any, converts a bind or connect to SDP: the first\n"
            + "matching rule's line number and text. ADDRESS is an IP literal (host names\n"
            + "are resolved like the file's, never with --offline). Remember the JDK checks\n"
            + "connect rules only for sockets that are not bound yet.\n"
            + "With --probes, each line of PROBEFILE (- for stdin) is one probe\n"
            + "'bind|connect ADDRESS PORT' (blank lines and # comments are skipped), and\n"
            + "each probe gets one tab-separated line:\n"
            + "  <action> <address> <port>\\tMATCH\\t<line>\n"
            + "  <action> <address> <port>\\tNOMATCH\n"
            + "A file the JDK refuses is reported as such and no probe is answered.",
        options,
        "Examples:\n"
            + "  sdpcheck match-rule /etc/sdp.conf connect 192.168.10.7 5432\n"
            + "  sdpcheck match-rule sdp.conf --probes probes.txt\n\n"
            + "Exit status: 0 a rule matches (with --probes: every probe matches), 1 no rule\n"
            + "matches (some probe does not) or the JDK refuses the file, 2 a file could not\n"
            + "be read, 3 bad usage or a malformed probe.");
  }

  static void formatConfig(PrintStream out, Options options) {
    CommandLines.printHelp(out, "sdpcheck format-config [options] FILE",
        "Prints the file in canonical form: action in lower case, one space between\n"
            + "fields, port ranges as the JDK reads them (* for all ports, 1024-65535 for\n"
            + "1024-), no trailing whitespace, \\n line ends. Comments and blank lines are\n"
            + "kept; lines the JDK refuses are kept exactly as they are. The meaning of the\n"
            + "file never changes. With --diff, prints a unified diff instead that\n"
            + "'git apply' and 'patch -p1' accept.",
        options,
        "Examples:\n"
            + "  sdpcheck format-config sdp.conf > sdp.conf.new\n"
            + "  sdpcheck format-config --diff conf/sdp.conf | git apply\n\n"
            + "Exit status: 0 done (with --diff: already canonical), 1 with --diff: the file\n"
            + "is not canonical, or it is not valid UTF-8, 2 it could not be read, 3 bad usage.");
  }
}
