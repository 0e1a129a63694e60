package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.RailsConfig;
import dev.sdpshim.conf.SdpConfig;
import dev.sdpshim.conf.SdpConfigParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * Reads the FILE arguments: a path (relative to the working directory) or {@code -} for standard
 * input. Diagnostics name the file as the user typed it, so the output matches the command line.
 */
final class ConfigInput {
  static final String STDIN = "-";

  private final Environment env;
  private final InputStream stdin;

  ConfigInput(Environment env, InputStream stdin) {
    this.env = env;
    this.stdin = stdin;
  }

  /** Parses {@code name}; a real file also gets its permissions checked (SDP112). */
  SdpConfig parse(SdpConfigParser parser, String name) throws UnreadableFile {
    try {
      if (name.equals(STDIN)) {
        return parser.parse(stdin.readAllBytes(), name);
      }
      return parser.parse(env.resolve(name), name);
    } catch (IOException e) {
      throw new UnreadableFile(name, e);
    }
  }

  /** Parses the rails file {@code name}. */
  RailsConfig parseRails(String name) throws UnreadableFile {
    return RailsConfig.parse(bytes(name), name);
  }

  byte[] bytes(String name) throws UnreadableFile {
    try {
      return name.equals(STDIN) ? stdin.readAllBytes() : Files.readAllBytes(env.resolve(name));
    } catch (IOException e) {
      throw new UnreadableFile(name, e);
    }
  }

  /** A FILE that could not be read; the message says why in a few words, without a stack trace. */
  static final class UnreadableFile extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;

    UnreadableFile(String file, IOException e) {
      super(reason(e), null, false, false);
      this.file = file;
    }

    String file() {
      return file;
    }

    /** {@code sdp.conf: cannot read: no such file ...}, for stderr. */
    String describe() {
      return file + ": cannot read: " + getMessage();
    }

    private static String reason(IOException e) {
      Throwable root = e.getCause() instanceof IOException ? e.getCause() : e;
      if (root instanceof NoSuchFileException) {
        return "no such file (a JVM started with -Dcom.sun.sdp.conf naming it fails at its first bind or connect)";
      }
      if (root instanceof AccessDeniedException) {
        return "permission denied";
      }
      String message = root.getMessage();
      return message == null || message.isEmpty() ? root.getClass().getSimpleName() : message;
    }
  }
}
