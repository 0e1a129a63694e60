package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.DiagnosticText;
import dev.sdpshim.conf.HostResolver;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.RuleMatcher;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.SdpConfigParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code sdpcheck match-rule FILE (bind|connect) ADDRESS PORT}, or {@code FILE --probes PROBEFILE}:
 * which rule converts a bind or connect, asked of the same compiled matcher the shim uses.
 */
final class MatchRuleCommand {
  static final String NAME = "match-rule";
  private static final int MAX_REPORTED = 20;

  private final Environment env;
  private final Io io;

  MatchRuleCommand(Environment env, Io io) {
    this.env = env;
    this.io = io;
  }

  private static Options options() {
    Options o = new Options();
    o.addOption(CommandLines.help());
    o.addOption(CommandLines.flag(null, "offline", "resolve no host names (no DNS), in the file or in probes"));
    o.addOption(CommandLines.valued(null, "probes", "PROBEFILE", "answer every probe in PROBEFILE (- for stdin), one per line"));
    return o;
  }

  int run(String[] args) throws UsageException {
    Options options = options();
    CommandLine cmd = CommandLines.parse(options, args);
    if (cmd.hasOption("help")) {
      Help.matchRule(io.out(), options);
      return ExitCode.OK;
    }
    List<String> rest = cmd.getArgList();
    String probeFile = cmd.getOptionValue("probes");
    if (probeFile == null ? rest.size() != 4 : rest.size() != 1) {
      throw new UsageException(probeFile == null ? "match-rule takes FILE, bind or connect, ADDRESS and PORT"
          : "with --probes, match-rule takes only FILE");
    }
    String name = rest.get(0);
    if (name.equals(ConfigInput.STDIN) && ConfigInput.STDIN.equals(probeFile)) {
      throw new UsageException("FILE and PROBEFILE cannot both be standard input");
    }
    HostResolver resolver = cmd.hasOption("offline") ? HostResolver.offline() : env.resolver();
    ConfigInput input = new ConfigInput(env, io.in());
    SdpConfig config;
    List<Probe> probes;
    try {
      config = input.parse(SdpConfigParser.defaults().withResolver(resolver), name);
      probes = probeFile == null ? List.of(Probe.parse(rest.get(1), rest.get(2), rest.get(3), resolver))
          : readProbes(input, probeFile, resolver);
    } catch (ConfigInput.UnreadableFile e) {
      io.err().println("sdpcheck: " + e.describe());
      return ExitCode.UNREADABLE;
    }
    if (!config.jdkAccepts()) {
      io.err().println("sdpcheck: " + Refusal.describe(name, config));
      return ExitCode.FINDINGS;
    }
    RuleMatcher matcher = config.compile();
    return probeFile == null ? answer(matcher, probes.get(0)) : answerAll(matcher, probes);
  }

  private int answer(RuleMatcher matcher, Probe probe) {
    Rule rule = matcher.firstMatch(probe.action(), probe.address(), probe.port());
    if (rule == null) {
      io.out().println("no rule converts " + probe.label());
      return ExitCode.FINDINGS;
    }
    io.out().println("line " + rule.position().line() + ": " + DiagnosticText.visible(rule.position().text().strip()));
    return ExitCode.OK;
  }

  private int answerAll(RuleMatcher matcher, List<Probe> probes) {
    boolean all = true;
    StringBuilder sb = new StringBuilder();
    for (Probe probe : probes) {
      Rule rule = matcher.firstMatch(probe.action(), probe.address(), probe.port());
      sb.append(probe.label()).append('\t');
      if (rule == null) {
        sb.append("NOMATCH\n");
        all = false;
      } else {
        sb.append("MATCH\t").append(rule.position().line()).append('\n');
      }
    }
    io.out().append(sb);
    return all ? ExitCode.OK : ExitCode.FINDINGS;
  }

  /** All probes, or a usage error listing every malformed line: answers must line up with probes. */
  private List<Probe> readProbes(ConfigInput input, String file, HostResolver resolver) throws ConfigInput.UnreadableFile, UsageException {
    String text = new String(input.bytes(file), StandardCharsets.UTF_8);
    List<Probe> probes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+");
      try {
        if (f.length != 3) {
          throw new UsageException("a probe is 'bind|connect ADDRESS PORT', not '" + line + "'");
        }
        probes.add(Probe.parse(f[0], f[1], f[2], resolver));
      } catch (UsageException e) {
        errors.add(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      List<String> shown = errors.size() > MAX_REPORTED ? errors.subList(0, MAX_REPORTED) : errors;
      String more = errors.size() > MAX_REPORTED ? "\n  \u2026 and " + (errors.size() - MAX_REPORTED) + " more" : "";
      throw new UsageException("malformed probes, none answered:\n  " + String.join("\n  ", shown) + more);
    }
    return probes;
  }
}
