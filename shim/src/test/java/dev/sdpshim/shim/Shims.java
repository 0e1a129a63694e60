package dev.sdpshim.shim;

import dev.sdpshim.conf.SdpConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Builds shims from rule text for tests, capturing their debug log and fallback WARNs. */
final class Shims {
  private Shims() {
  }

  static SdpConfig rules(String... lines) {
    SdpConfig config = SdpConfig.parse(String.join("\n", lines) + "\n", "test.conf");
    if (!config.isValid()) {
      throw new AssertionError("test rules are invalid: " + config.diagnostics());
    }
    return config;
  }

  /** A shim and what it wrote; close it to unregister its MXBeans. */
  static final class Captured implements AutoCloseable {
    final SdpShim shim;
    private final ByteArrayOutputStream debug;
    private final List<String> warnings;

    private Captured(SdpShim shim, ByteArrayOutputStream debug, List<String> warnings) {
      this.shim = shim;
      this.debug = debug;
      this.warnings = warnings;
    }

    List<String> debugLines() {
      String text = debug.toString(StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    List<String> warnings() {
      synchronized (warnings) {
        return List.copyOf(warnings);
      }
    }

    ShimStatistics stats() {
      return shim.statistics();
    }

    @Override
    public void close() {
      shim.close();
    }
  }

  static Captured shim(Protocol protocol, Fallback fallback, String... rules) {
    ByteArrayOutputStream debug = new ByteArrayOutputStream();
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    SdpShim.Builder builder = SdpShim.builder()
        .config(rules(rules))
        .protocol(protocol)
        .fallback(fallback)
        .debugLog(new PrintStream(debug, true, StandardCharsets.UTF_8));
    builder.warnings = warnings::add;
    return new Captured(builder.build(), debug, warnings);
  }

  static Captured mptcp(String... rules) {
    return shim(Protocol.MPTCP, Fallback.TCP, rules);
  }
}
