package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared steps of the tests: write a config, parse it, and ask the JDK for its verdict too. */
final class Verdicts {
  private Verdicts() {}

  static Path write(Path dir, String text) {
    return write(dir, text.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path dir, byte[] bytes) {
    try {
      Path file = Files.createTempFile(dir, "sdp", ".conf");
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SdpConfig parse(Path file) {
    try {
      return SdpConfig.parse(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@code text} from a file and checks that acceptance and message equal the JDK's. */
  static SdpConfig parseAndCompare(Path dir, String text) {
    return parseAndCompare(write(dir, text));
  }

  static SdpConfig parseAndCompare(Path file) {
    SdpConfig config = parse(file);
    if (JdkProvider.available()) {
      assertEquals(JdkProvider.refusal(file), config.jdkRefusal().orElse(null), "JDK verdict for " + file);
    }
    return config;
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static boolean hasCode(SdpConfig config, Code code) {
    return config.diagnostics().stream().anyMatch(d -> d.code() == code);
  }
}
