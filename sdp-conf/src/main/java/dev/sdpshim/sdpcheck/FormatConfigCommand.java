package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.HostResolver;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.SdpConfigParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code sdpcheck format-config [--diff] FILE}: the canonical form of the file, or the diff to it. */
final class FormatConfigCommand {
  static final String NAME = "format-config";

  private final Environment env;
  private final Io io;

  FormatConfigCommand(Environment env, Io io) {
    this.env = env;
    this.io = io;
  }

  private static Options options() {
    Options o = new Options();
    o.addOption(CommandLines.help());
    o.addOption(CommandLines.flag(null, "diff", "print a unified diff from the file to its canonical form instead"));
    return o;
  }

  int run(String[] args) throws UsageException {
    Options options = options();
    CommandLine cmd = CommandLines.parse(options, args);
    if (cmd.hasOption("help")) {
      Help.formatConfig(io.out(), options);
      return ExitCode.OK;
    }
    List<String> rest = cmd.getArgList();
    if (rest.size() != 1) {
      throw new UsageException("format-config takes exactly one FILE");
    }
    String name = rest.get(0);
    byte[] bytes;
    try {
      bytes = new ConfigInput(env, io.in()).bytes(name);
    } catch (ConfigInput.UnreadableFile e) {
      io.err().println("sdpcheck: " + e.describe());
      return ExitCode.UNREADABLE;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      io.err().println("sdpcheck: " + name + ": not valid UTF-8, so not formatted: the JDK reads only part of such a file"
          + " (SDP008); save it as UTF-8 first");
      return ExitCode.FINDINGS;
    }
    // Formatting needs no DNS: which lines are rules does not depend on what names resolve to.
    SdpConfig config = SdpConfigParser.defaults().withResolver(HostResolver.offline()).parse(bytes, name);
    List<Canonicalizer.SourceLine> lines = Canonicalizer.split(text);
    List<String> canonical = Canonicalizer.canonicalLines(lines, config);
    if (!cmd.hasOption("diff")) {
      io.out().print(Canonicalizer.join(canonical));
      return ExitCode.OK;
    }
    String diff = UnifiedDiff.write(label(name), Canonicalizer.chunks(lines, canonical));
    io.out().print(diff);
    return diff.isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
  }

  /** The path in the diff headers: relative and normalized, so that {@code a/./x} does not confuse git. */
  static String label(String name) {
    if (name.equals(ConfigInput.STDIN) || name.startsWith("/")) {
      return name;
    }
    return Path.of(name).normalize().toString().replace('\\', '/');
  }
}
