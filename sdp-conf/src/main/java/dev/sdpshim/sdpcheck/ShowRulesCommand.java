package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.HostResolver;
import dev.sdpshim.conf.Rule;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.SdpConfigParser;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code sdpcheck show-rules FILE}: the rules as the runtime will use them. */
final class ShowRulesCommand {
  static final String NAME = "show-rules";

  private final Environment env;
  private final Io io;

  ShowRulesCommand(Environment env, Io io) {
    this.env = env;
    this.io = io;
  }

  private static Options options() {
    Options o = new Options();
    o.addOption(CommandLines.help());
    o.addOption(CommandLines.flag(null, "offline", "resolve no host names (no DNS); such rules are shown unresolved"));
    return o;
  }

  int run(String[] args) throws UsageException {
    Options options = options();
    CommandLine cmd = CommandLines.parse(options, args);
    if (cmd.hasOption("help")) {
      Help.showRules(io.out(), options);
      return ExitCode.OK;
    }
    List<String> rest = cmd.getArgList();
    if (rest.size() != 1) {
      throw new UsageException("show-rules takes exactly one FILE");
    }
    String name = rest.get(0);
    SdpConfigParser parser = SdpConfigParser.defaults().withResolver(cmd.hasOption("offline") ? HostResolver.offline() : env.resolver());
    SdpConfig config;
    try {
      config = new ConfigInput(env, io.in()).parse(parser, name);
    } catch (ConfigInput.UnreadableFile e) {
      io.err().println("sdpcheck: " + e.describe());
      return ExitCode.UNREADABLE;
    }
    if (!config.jdkAccepts()) {
      io.err().println("sdpcheck: " + Refusal.describe(name, config));
      return ExitCode.FINDINGS;
    }
    if (config.rules().isEmpty()) {
      io.err().println("sdpcheck: " + name + ": no rules: the JDK disables SDP and converts nothing");
      return ExitCode.OK;
    }
    List<Rule> rules = config.rules();
    int width = Integer.toString(rules.get(rules.size() - 1).position().line()).length();
    StringBuilder sb = new StringBuilder();
    for (Rule rule : rules) {
      RuleListing.append(sb, rule, width);
      if (sb.length() > 1 << 16) {
        io.out().append(sb);
        sb.setLength(0);
      }
    }
    io.out().append(sb);
    return ExitCode.OK;
  }
}
