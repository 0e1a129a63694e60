package dev.sdpshim.sdpcheck;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.OutputStreamWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** Commons CLI glue shared by the subcommands: strict parsing and help at a fixed width. */
final class CommandLines {
  static final int WIDTH = 80;

  private CommandLines() {}

  /** Parses without abbreviations, so that adding an option never changes what an old one means. */
  static CommandLine parse(Options options, String[] args) throws UsageException {
    try {
      return DefaultParser.builder().setAllowPartialMatching(false).build().parse(options, args);
    } catch (ParseException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static Option flag(String shortName, String longName, String description) {
    return Option.builder(shortName).longOpt(longName).desc(description).build();
  }

  static Option valued(String shortName, String longName, String argName, String description) {
    return Option.builder(shortName).longOpt(longName).hasArg().argName(argName).desc(description).build();
  }

  static Option help() {
    return flag("h", "help", "show this help and exit");
  }

  /** Writes {@code usage}, {@code header}, the options and {@code footer} to {@code out}. */
  static void printHelp(PrintStream out, String usage, String header, Options options, String footer) {
    HelpFormatter formatter = new HelpFormatter();
    formatter.setOptionComparator(null);
    PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    formatter.printHelp(writer, WIDTH, usage, "\n" + header + "\n\nOptions:", options, 2, 2, "\n" + footer, false);
    writer.flush();
  }

  /** The value of an integer option, or {@code fallback} when absent. */
  static int intValue(CommandLine cmd, String option, int fallback, int min, String what) throws UsageException {
    String value = cmd.getOptionValue(option);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + option + " must be " + what + ", not '" + value + "'");
  }
}
