package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.SdpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything wrong with a configuration is refused when the shim is created, all at once. */
class ConfigurationTest {
  private static final String BROKEN = """
      # three mistakes and a warning
      connect 192.168.1.0/24 80-x
      bind 10.0.0.1 * # primary
      connect 127.0.0.1 *
      accept 10.0.0.2 *
      """;

  @TempDir
  Path dir;

  @Test
  void invalidRulesAreRefusedAtCreationWithEveryDiagnosticListed() throws Exception {
    Path file = write("sdp.conf", BROKEN);
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> SdpShim.builder().config(file).build());
    SdpConfig parsed = SdpConfig.parse(file);
    List<String> lines = e.getMessage().lines().toList();
    assertEquals("Invalid com.sun.sdp.conf file " + file + " (3 errors, 1 warning): sdp-shim will"
        + " not run it; see sdpcheck " + file + " for explanations", lines.get(0));
    assertEquals(parsed.diagnostics().size() + 1, lines.size());
    for (Diagnostic d : parsed.diagnostics()) {
      assertTrue(lines.contains(file + ":" + d.line() + ":" + d.column() + ": "
          + d.severity().label() + ": " + d.message() + " [" + d.code() + "]"), d::toString);
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(file + ":2:") && l.endsWith("[SDP003]")), e::getMessage);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(file + ":3:") && l.endsWith("[SDP006]")), e::getMessage);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(file + ":4:") && l.contains(": warning: ")), e::getMessage);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(file + ":5:") && l.endsWith("[SDP002]")), e::getMessage);
    assertEquals(parsed.diagnostics(), e.diagnostics());
  }

  @Test
  void invalidRulesNamedBySystemPropertiesAreRefusedTheSameWay() throws Exception {
    Path file = write("sdp.conf", BROKEN);
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> SdpShim.fromProperties(props(SdpShim.CONF_PROPERTY, file.toString()), SdpShim.builder()));
    assertEquals(4, e.diagnostics().size());
  }

  @Test
  void missingRulesFileIsRefusedNamingThePath() {
    Path missing = dir.resolve("nope.conf");
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> SdpShim.fromProperties(props(SdpShim.CONF_PROPERTY, missing.toString()), SdpShim.builder()));
    assertTrue(e.getMessage().startsWith("Cannot read the com.sun.sdp.conf file: "), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void emptyRulesFilePropertyIsRefused() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> SdpShim.fromProperties(props(SdpShim.CONF_PROPERTY, ""), SdpShim.builder()));
    assertEquals("-Dcom.sun.sdp.conf is set but empty: name the rules file, or remove the property"
        + " to convert nothing", e.getMessage());
  }

  @Test
  void unknownProtocolAndFallbackValuesAreRefusedListingTheValidOnes() {
    InvalidConfigException protocol = assertThrows(InvalidConfigException.class,
        () -> SdpShim.fromProperties(props(SdpShim.PROTOCOL_PROPERTY, "rdma"), SdpShim.builder()));
    assertEquals("Invalid value 'rdma' for -Dsdpshim.protocol: expected sdp (AF_INET_SDP, the"
        + " default), mptcp (IPPROTO_MPTCP) or tcp (dry run: match and count, convert nothing)",
        protocol.getMessage());
    InvalidConfigException fallback = assertThrows(InvalidConfigException.class,
        () -> SdpShim.fromProperties(props(SdpShim.FALLBACK_PROPERTY, "retry"), SdpShim.builder()));
    assertEquals("Invalid value 'retry' for -Dsdpshim.fallback: expected tcp (keep unconvertible"
        + " sockets on TCP, the default) or fail (make their bind or connect fail)",
        fallback.getMessage());
  }

  @Test
  void propertyValuesAreReadCaseInsensitively() throws Exception {
    Path file = write("ok.conf", "bind 127.0.0.1 *\n");
    Properties p = props(SdpShim.CONF_PROPERTY, file.toString());
    p.setProperty(SdpShim.PROTOCOL_PROPERTY, " MPTCP ");
    p.setProperty(SdpShim.FALLBACK_PROPERTY, "Fail");
    try (SdpShim shim = SdpShim.fromProperties(p, SdpShim.builder())) {
      assertEquals(Protocol.MPTCP, shim.protocol());
      assertEquals(Fallback.FAIL, shim.fallback());
      assertEquals(1, shim.config().orElseThrow().rules().size());
    }
  }

  @Test
  void withoutRulesFileTheShimHasNoRulesAndDefaultsToSdpWithTcpFallback() {
    try (SdpShim shim = SdpShim.fromProperties(new Properties(), SdpShim.builder())) {
      assertTrue(shim.config().isEmpty());
      assertEquals(Protocol.SDP, shim.protocol());
      assertEquals(Fallback.TCP, shim.fallback());
      assertEquals(List.of(), shim.statistics().rules());
    }
  }

  @Test
  void twoOpenInstancesCannotShareAName() {
    try (SdpShim first = SdpShim.builder().name("twin").build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> SdpShim.builder().name("twin").build());
      assertTrue(e.getMessage().contains("'twin' is already open"), e.getMessage());
      assertEquals("twin", first.name());
    }
    SdpShim.builder().name("twin").build().close(); // free again once closed
  }

  @Test
  void debugLogThatCannotBeOpenedIsRefusedAtCreation() {
    Path unwritable = dir.resolve("no-such-dir").resolve("debug.log");
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> SdpShim.fromProperties(props(SdpShim.DEBUG_PROPERTY, unwritable.toString()), SdpShim.builder()));
    assertTrue(e.getMessage().startsWith("Cannot open the com.sun.sdp.debug log " + unwritable), e.getMessage());
    assertFalse(Files.exists(unwritable));
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static Properties props(String key, String value) {
    Properties p = new Properties();
    p.setProperty(key, value);
    return p;
  }
}
