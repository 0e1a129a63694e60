package dev.sdpshim.sdpcheck;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code sdpcheck} command: dispatches to a subcommand (check-config when none is named) and
 * turns usage errors into exit status 3. {@link #run} works in-process on any streams, for tests
 * and for embedding; {@link #main} binds it to the process.
 */
public final class Sdpcheck {
  private final Environment env;

  /** An instance that looks at the real host: its DNS, interfaces and terminal. */
  public Sdpcheck() {
    this(Environment.system());
  }

  Sdpcheck(Environment env) {
    this.env = env;
  }

  public static void main(String[] args) {
    // Output is UTF-8 whatever the locale: JSON, SARIF, XML and diffs must be, and Java 17 would
    // otherwise encode stdout in the platform charset and turn non-ASCII text into '?'.
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
        StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int status = new Sdpcheck().run(args, System.in, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** Runs one command line; returns the exit status. */
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Io io = new Io(in, out, err);
    String sub = args.length > 0 ? args[0] : "";
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    try {
      switch (sub) {
        case CheckConfigCommand.NAME:
          return new CheckConfigCommand(env, io).run(rest);
        case ShowRulesCommand.NAME:
          return new ShowRulesCommand(env, io).run(rest);
        case MatchRuleCommand.NAME:
          return new MatchRuleCommand(env, io).run(rest);
        case FormatConfigCommand.NAME:
          return new FormatConfigCommand(env, io).run(rest);
        default:
          return new CheckConfigCommand(env, io).run(args);
      }
    } catch (UsageException e) {
      String help = Arrays.asList(CheckConfigCommand.NAME, ShowRulesCommand.NAME, MatchRuleCommand.NAME,
          FormatConfigCommand.NAME).contains(sub) ? "sdpcheck " + sub + " --help" : "sdpcheck --help";
      err.println("sdpcheck: " + e.getMessage());
      err.println("Try '" + help + "'.");
      return ExitCode.USAGE;
    } catch (UncheckedIOException e) {
      err.println("sdpcheck: cannot write the output: " + e.getCause().getMessage());
      return ExitCode.UNREADABLE;
    } finally {
      out.flush();
    }
  }
}
