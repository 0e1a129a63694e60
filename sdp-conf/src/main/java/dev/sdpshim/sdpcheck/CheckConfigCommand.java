package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.HostResolver;
import dev.sdpshim.conf.RailsConfig;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.SdpConfigParser;
import dev.sdpshim.conf.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code sdpcheck [check-config] [options] FILE...}: reports every problem of each file. */
final class CheckConfigCommand {
  static final String NAME = "check-config";

  private final Environment env;
  private final Io io;

  CheckConfigCommand(Environment env, Io io) {
    this.env = env;
    this.io = io;
  }

  Options options() {
    Options o = new Options();
    o.addOption(CommandLines.help());
    o.addOption(CommandLines.flag("V", "version", "show the version and exit"));
    o.addOption(CommandLines.flag(null, "list-rules", "list every code with its severity, title and documentation page, and exit"));
    o.addOption(CommandLines.valued("f", "format", "FORMAT", "text (default), json, sarif or checkstyle"));
    o.addOption(CommandLines.valued(null, "color", "WHEN", "colour the text format: auto (default: when stdout is a terminal and "
        + "NO_COLOR is not set), always or never"));
    o.addOption(CommandLines.valued("S", "severity", "LEVEL", "show only findings at least this serious: error, warning, info or "
        + "style (default, all)"));
    o.addOption(CommandLines.valued(null, "fail-on", "LEVEL", "exit 1 when a shown finding is at least this serious: error, "
        + "warning (default), info or style"));
    o.addOption(CommandLines.valued("i", "include", "CODES", "show only these codes (comma-separated, repeatable)"));
    o.addOption(CommandLines.valued("e", "exclude", "CODES", "do not show these codes (comma-separated, repeatable)"));
    o.addOption(CommandLines.flag(null, "no-host-checks", "skip checking bind addresses and rails against this host's "
        + "interfaces (SDP201, SDP202, SDP405)"));
    o.addOption(CommandLines.valued(null, "rails", "RAILS", "also check this rails file (-Dsdpshim.rails): its syntax, "
        + "its subnets, its addresses on this host, and that a bind rule of each FILE covers every rail (SDP4xx)"));
    o.addOption(CommandLines.flag(null, "offline", "resolve no host names (no DNS); names are reported as SDP102"));
    o.addOption(CommandLines.valued(null, "jdk", "VERSION", "judge the file for this JDK feature release, e.g. 17, 21, 25 "
        + "or 26 (default: the running JVM's, " + env.jdkFeature() + "); 26 and later ignore it (SDP301)"));
    o.addOption(CommandLines.valued(null, "max-diagnostics", "N", "keep at most N findings per file (default "
        + SdpConfigParser.DEFAULT_MAX_DIAGNOSTICS + "); the rest are counted (SDP120)"));
    return o;
  }

  int run(String[] args) throws UsageException {
    Options options = options();
    CommandLine cmd = CommandLines.parse(options, args);
    if (cmd.hasOption("help")) {
      Help.checkConfig(io.out(), options);
      return ExitCode.OK;
    }
    if (cmd.hasOption("version")) {
      io.out().println("sdpcheck " + Version.get());
      io.out().println("running on Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")");
      return ExitCode.OK;
    }
    if (cmd.hasOption("list-rules")) {
      listRules();
      return ExitCode.OK;
    }
    List<String> files = cmd.getArgList();
    String rails = cmd.getOptionValue("rails");
    if (files.isEmpty() && rails == null) {
      throw new UsageException("no FILE given (use - for standard input)");
    }
    OutputFormat format = OutputFormat.parse(cmd.getOptionValue("format", "text"));
    boolean color = format == OutputFormat.TEXT && color(cmd.getOptionValue("color", "auto"));
    Severity failOn = severity(cmd.getOptionValue("fail-on", "warning"), "--fail-on");
    DiagnosticFilter filter = new DiagnosticFilter(codes(cmd.getOptionValues("include")), codes(cmd.getOptionValues("exclude")),
        severity(cmd.getOptionValue("severity", "style"), "--severity"));
    int jdk = CommandLines.intValue(cmd, "jdk", env.jdkFeature(), 7, "a JDK feature release such as 17, 21, 25 or 26");
    int max = CommandLines.intValue(cmd, "max-diagnostics", SdpConfigParser.DEFAULT_MAX_DIAGNOSTICS, 1, "a positive number");
    SdpConfigParser parser = SdpConfigParser.defaults().withMaxDiagnostics(max)
        .withResolver(cmd.hasOption("offline") ? HostResolver.offline() : env.resolver());
    HostChecks hostChecks = cmd.hasOption("no-host-checks") ? null : new HostChecks(env.interfaces(), env.sysfsNet());
    RailHostChecks railHostChecks = cmd.hasOption("no-host-checks") ? null : new RailHostChecks(env.interfaces());

    CheckResult result = check(files, parser, hostChecks, jdk, filter);
    if (rails != null) {
      result = checkRails(rails, result, railHostChecks, filter);
    }
    write(format, color, result);
    if (!result.unreadable().isEmpty()) {
      return ExitCode.UNREADABLE;
    }
    for (CheckedFile file : result.files()) {
      for (Diagnostic d : file.shown()) {
        if (d.severity().atLeast(failOn)) {
          return ExitCode.FINDINGS;
        }
      }
    }
    return ExitCode.OK;
  }

  private CheckResult check(List<String> files, SdpConfigParser parser, HostChecks hostChecks, int jdk, DiagnosticFilter filter) {
    ConfigInput input = new ConfigInput(env, io.in());
    List<CheckedFile> checked = new ArrayList<>();
    List<ConfigInput.UnreadableFile> unreadable = new ArrayList<>();
    for (String name : files) {
      try {
        SdpConfig config = input.parse(parser, name);
        List<Diagnostic> extra = new ArrayList<>(JdkVersionCheck.check(jdk));
        if (hostChecks != null) {
          extra.addAll(hostChecks(hostChecks, config));
        }
        config = config.withDiagnostics(extra);
        checked.add(new CheckedFile(name, config, null, filter.apply(config.diagnostics())));
      } catch (ConfigInput.UnreadableFile e) {
        io.err().println("sdpcheck: " + e.describe());
        unreadable.add(e);
      }
    }
    return new CheckResult(checked, unreadable);
  }

  /**
   * Adds the rails file to {@code result}: its own findings, this host's (SDP405), and one SDP404
   * per rail and rules file whose bind rules leave the rail on TCP.
   */
  private CheckResult checkRails(String name, CheckResult result, RailHostChecks hostChecks, DiagnosticFilter filter) {
    List<CheckedFile> checked = new ArrayList<>(result.files());
    List<ConfigInput.UnreadableFile> unreadable = new ArrayList<>(result.unreadable());
    try {
      RailsConfig rails = new ConfigInput(env, io.in()).parseRails(name);
      List<Diagnostic> found = new ArrayList<>(rails.diagnostics());
      for (CheckedFile file : result.files()) {
        if (file.config().isValid()) {
          found.addAll(rails.uncoveredBy(file.config()));
        }
      }
      if (hostChecks != null) {
        try {
          found.addAll(hostChecks.check(rails));
        } catch (IOException e) {
          io.err().println("sdpcheck: rail host checks skipped: cannot list the network interfaces: " + e.getMessage());
        }
      }
      found.sort(java.util.Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
      checked.add(new CheckedFile(name, null, rails, filter.apply(found)));
    } catch (ConfigInput.UnreadableFile e) {
      io.err().println("sdpcheck: " + e.describe());
      unreadable.add(e);
    }
    return new CheckResult(checked, unreadable);
  }

  /** Host checks that cannot list the interfaces say so once and let the rest of the run go on. */
  private List<Diagnostic> hostChecks(HostChecks hostChecks, SdpConfig config) {
    try {
      return hostChecks.check(config);
    } catch (IOException e) {
      io.err().println("sdpcheck: host checks skipped: cannot list the network interfaces: " + e.getMessage());
      return List.of();
    }
  }

  private void write(OutputFormat format, boolean color, CheckResult result) {
    Report report;
    switch (format) {
      case JSON:
        report = new JsonReport();
        break;
      case SARIF:
        report = new SarifReport(Version.get());
        break;
      case CHECKSTYLE:
        report = new CheckstyleReport();
        break;
      default:
        report = new TextReport(color);
    }
    try {
      report.write(result, io.out());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void listRules() {
    StringBuilder sb = new StringBuilder();
    for (Code c : Code.values()) {
      sb.append(String.format(Locale.ROOT, "%s  %-7s  %-52s  %s%n", c.name(), c.severity().label(), c.title(), c.docPath()));
    }
    io.out().print(sb);
  }

  /** NO_COLOR (no-color.org) turns automatic colour off; an explicit --color=always wins over it. */
  private boolean color(String when) throws UsageException {
    switch (when) {
      case "always":
        return true;
      case "never":
        return false;
      case "auto":
        String noColor = env.variable("NO_COLOR");
        return (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.variable("TERM")) && env.stdoutIsTerminal();
      default:
        throw new UsageException("--color must be auto, always or never, not '" + when + "'");
    }
  }

  static Severity severity(String s, String option) throws UsageException {
    for (Severity v : Severity.values()) {
      if (v.label().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new UsageException(option + " must be error, warning, info or style, not '" + s + "'");
  }

  static Set<Code> codes(String[] values) throws UsageException {
    Set<Code> codes = EnumSet.noneOf(Code.class);
    if (values == null) {
      return codes;
    }
    for (String value : values) {
      for (String name : value.split(",", -1)) {
        String n = name.strip();
        if (n.isEmpty()) {
          continue;
        }
        codes.add(Code.parse(n).orElseThrow(() -> new UsageException("'" + n + "' is not an sdpcheck code; see sdpcheck --list-rules")));
      }
    }
    return codes;
  }
}
