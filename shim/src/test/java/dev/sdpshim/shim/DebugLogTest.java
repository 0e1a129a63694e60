package dev.sdpshim.shim;

import static dev.sdpshim.shim.Loopback.IPV4;
import static dev.sdpshim.shim.Loopback.TIMEOUT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -Dcom.sun.sdp.debug keeps the JDK's contract: where the lines go and what they look like. */
class DebugLogTest {
  @TempDir
  Path dir;

  @Test
  void debugPropertyNamingAFileAppendsJdkFormatLinesToIt() throws Exception {
    Path rules = Files.writeString(dir.resolve("sdp.conf"), "bind 127.0.0.1 *\nconnect 127.0.0.1 *\n");
    Path log = Files.writeString(dir.resolve("sdp.log"), "earlier line\n");
    Properties p = new Properties();
    p.setProperty(SdpShim.CONF_PROPERTY, rules.toString());
    p.setProperty(SdpShim.PROTOCOL_PROPERTY, "mptcp");
    p.setProperty(SdpShim.DEBUG_PROPERTY, log.toString());
    int port;
    try (SdpShim shim = SdpShim.fromProperties(p, SdpShim.builder());
        ServerSocket server = shim.serverSocketFactory().createServerSocket(0, 50, IPV4)) {
      port = server.getLocalPort();
      try (Socket client = shim.socketFactory().createSocket(IPV4, port);
          Socket bound = shim.socketFactory().createSocket()) {
        server.accept().close();
        bound.bind(new InetSocketAddress(IPV4, 0));
        bound.connect(server.getLocalSocketAddress(), TIMEOUT_MS); // bound: no CONNECT line
        server.accept().close();
      }
    }
    assertEquals(List.of("earlier line",
        "BIND to 127.0.0.1:0 (socket converted to MPTCP protocol)",
        "CONNECT to 127.0.0.1:" + port + " (socket converted to MPTCP protocol)",
        "BIND to 127.0.0.1:0 (socket converted to MPTCP protocol)"), Files.readAllLines(log));
  }

  @Test
  void emptyDebugPropertyWritesToStandardOutput() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Properties p = new Properties();
    p.setProperty(SdpShim.DEBUG_PROPERTY, "");
    SdpShim shim;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      shim = SdpShim.fromProperties(p, SdpShim.builder()); // takes System.out once, now
    } finally {
      System.setOut(original);
    }
    try (shim; ServerSocket server = new ServerSocket(0, 50, IPV4);
        Socket client = shim.socketFactory().createSocket(IPV4, server.getLocalPort())) {
      server.accept().close();
      assertEquals("CONNECT to 127.0.0.1:" + server.getLocalPort() + " (no match)" + System.lineSeparator(),
          captured.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void withoutTheDebugPropertyNothingIsWritten() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (SdpShim shim = SdpShim.fromProperties(new Properties(), SdpShim.builder());
        ServerSocket server = new ServerSocket(0, 50, IPV4);
        Socket client = shim.socketFactory().createSocket(IPV4, server.getLocalPort())) {
      server.accept().close();
    } finally {
      System.setOut(original);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
  }
}
