package dev.sdpshim.agentprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.agentprobe.ChildJvm.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent jar in child JVMs that have only {@code -javaagent} and the flags (no --add-opens):
 * every JDK socket API judged and converted, bind-before-connect, the JDK's own SDP support
 * silent, invalid configs stopped before main, UDP and Unix-domain sockets untouched.
 * Loopback only; MPTCP (262) stands in for SDP, which this kernel lacks.
 */
class AgentIT {
  private static final int TCP = 6;
  private static final int MPTCP = 262;
  private static final String JDK_REFUSAL = "IPv6 not supported";
  private static final String MATRIX_RULES = """
      # listeners on 127.0.0.2, wildcard listeners (ServerSocket passes 0.0.0.0,
      # ServerSocketChannel ::), and unbound clients connecting to 127.0.0.3
      bind 127.0.0.2 *
      bind 0.0.0.0 *
      bind :: *
      connect 127.0.0.3 *
      """;

  @TempDir
  Path dir;

  private List<String> agent(Path config, String... more) {
    List<String> flags = new ArrayList<>(List.of("-javaagent:" + ChildJvm.agentJar(),
        "-Dcom.sun.sdp.conf=" + config));
    flags.addAll(List.of(more));
    return flags;
  }

  @Test
  void everySocketApiIsJudgedAndMatchingSocketsAreConverted() throws Exception {
    Path config = ChildJvm.writeConfig(dir, "sdp.conf", MATRIX_RULES);
    Result run = ChildJvm.probe(dir, agent(config, "-Dsdpshim.protocol=mptcp"), "matrix");
    assertEquals(0, run.status(), run::all);
    // label suffix -> {listener, client}
    Map<String, int[]> expected = Map.of(
        "listen-rule-port0", new int[] {MPTCP, TCP},
        "listen-norule", new int[] {TCP, TCP},
        "listen-wildcard", new int[] {MPTCP, TCP},
        "connect-rule-implicit-bind", new int[] {TCP, MPTCP},
        "bind-before-connect", new int[] {TCP, TCP}, // bound to 127.0.0.4 first: no connect rule
        "bound-client-bind-rule", new int[] {TCP, MPTCP});
    for (String api : List.of("io", "nio", "async")) {
      expected.forEach((scenario, protocols) -> {
        String result = run.result(api + " " + scenario);
        String what = api + " " + scenario + ": " + result + "\n" + run.all();
        assertTrue(result != null && result.endsWith("data=ok"), what);
        assertTrue(result.startsWith("listener=" + protocols[0] + " client=" + protocols[1] + " "),
            what);
      });
    }
    assertEquals("client=" + MPTCP + " data=ok", run.result("httpclient connect-rule"), run::all);
    assertFalse(run.err().contains(JDK_REFUSAL), run::all);
    assertFalse(run.err().contains("sdp-shim failed inside"), run::all);
  }

  @Test
  void jdkOwnSdpSupportStaysSilentAlthoughThePropertyIsSet() throws Exception {
    Path config = ChildJvm.writeConfig(dir, "sdp.conf", "connect 127.0.0.1 *\n");
    Result run = ChildJvm.probe(dir, agent(config, "-Dsdpshim.protocol=mptcp"),
        "connect", "127.0.0.1");
    assertEquals(0, run.status(), run::all);
    assertEquals("client=" + MPTCP + " data=ok", run.result("connect 127.0.0.1"), run::all);
    assertFalse((run.out() + run.err()).contains(JDK_REFUSAL), run::all);

    if (Runtime.version().feature() <= 25) { // the control: the JDK alone refuses this socket
      Result jdkAlone = ChildJvm.probe(dir, List.of("-Dcom.sun.sdp.conf=" + config),
          "connect", "127.0.0.1");
      assertNotEquals(0, jdkAlone.status(), jdkAlone::all);
      assertTrue(jdkAlone.err().contains(JDK_REFUSAL), jdkAlone::all);
    }
  }

  @Test
  void sdpMissingFromTheKernelFallsBackToTcpWithAWarningNamingTheErrno() throws Exception {
    Path config = ChildJvm.writeConfig(dir, "sdp.conf", "connect 127.0.0.1 *\n");
    Path debug = dir.resolve("sdp-debug.log");
    Result run = ChildJvm.probe(dir, agent(config, "-Dcom.sun.sdp.debug=" + debug), "connect", "127.0.0.1");
    assertEquals(0, run.status(), run::all);
    assertEquals("client=" + TCP + " data=ok", run.result("connect 127.0.0.1"), run::all);
    assertTrue(run.err().contains("EAFNOSUPPORT"), run::all);
    String log = java.nio.file.Files.readString(debug);
    assertTrue(log.contains("CONNECT to 127.0.0.1:"), log);
    assertTrue(log.contains("socket stays TCP"), log);
  }

  @Test
  void aFactorySocketUnderTheAgentIsJudgedOnce() throws Exception {
    // No rule matches: a socket left TCP is the one the agent's hook would otherwise judge again.
    Path config = ChildJvm.writeConfig(dir, "sdp.conf", "connect 10.0.0.1 *\n");
    Path debug = dir.resolve("sdp-debug.log");
    Result run = ChildJvm.probe(dir, agent(config, "-Dsdpshim.protocol=mptcp", "-Dcom.sun.sdp.debug=" + debug),
        "factory", "127.0.0.1");
    assertEquals(0, run.status(), run::all);
    assertEquals("client=" + TCP + " data=ok", run.result("factory 127.0.0.1"), run::all);
    List<String> connects = java.nio.file.Files.readAllLines(debug).stream().filter(l -> l.startsWith("CONNECT")).toList();
    assertEquals(1, connects.size(), () -> "one decision for the one connect: " + connects);
    assertTrue(connects.get(0).endsWith("(no match)"), connects::toString);
  }

  @Test
  void invalidConfigStopsTheJvmBeforeMainWithEveryFinding() throws Exception {
    Path config = ChildJvm.writeConfig(dir, "bad.conf",
        "bind 127.0.0.2 *\nconect 10.0.0.1 80\nconnect 10.0.0.1 80-x\n");
    Result run = ChildJvm.probe(dir, agent(config), "connect", "127.0.0.1");
    assertNotEquals(0, run.status(), run::all);
    assertFalse(run.out().contains("MAIN RAN"), run::all);
    assertTrue(run.err().contains(config + ":2:1: error: "), run::all);
    // The sdpcheck text format: header, the line as written, a caret under the field.
    assertTrue(run.err().contains("[SDP002]\n  conect 10.0.0.1 80\n  ^~~~~~\n"), run::all);
    assertTrue(run.err().contains(config + ":3:"), run::all);
    assertTrue(run.err().contains("[SDP003]\n  connect 10.0.0.1 80-x\n"), run::all);
    assertFalse(run.err().contains("ExceptionInInitializerError"), run::all);
  }

  @Test
  void missingConfigStopsTheJvmBeforeMain() throws Exception {
    Result run = ChildJvm.probe(dir, agent(dir.resolve("absent.conf")), "connect", "127.0.0.1");
    assertNotEquals(0, run.status(), run::all);
    assertFalse(run.out().contains("MAIN RAN"), run::all);
    assertTrue(run.err().contains("absent.conf:0:0: error: Error reading"), run::all);
  }

  @Test
  void invalidConfigWithDisablePolicyRunsMainWithTheShimOff() throws Exception {
    // A file the JDK refuses too: without the agent the first socket would throw
    // ExceptionInInitializerError on JDK <= 25.
    Path config = ChildJvm.writeConfig(dir, "bad.conf", "connect 127.0.0.1 * # db\n");
    Result run = ChildJvm.probe(dir, agent(config, "-Dsdpshim.protocol=mptcp",
        "-Dsdpshim.onInvalidConfig=disable"), "connect", "127.0.0.1");
    assertEquals(0, run.status(), run::all);
    assertTrue(run.out().contains("MAIN RAN"), run::all);
    assertTrue(run.err().contains("[SDP006]"), run::all);
    assertTrue(run.err().contains("sdp-shim is OFF"), run::all);
    assertEquals("client=" + TCP + " data=ok", run.result("connect 127.0.0.1"), run::all);
    assertFalse(run.err().contains("ExceptionInInitializerError"), run::all);
  }

  @Test
  void datagramAndUnixDomainSocketsAreLeftAlone() throws Exception {
    Path config = ChildJvm.writeConfig(dir, "sdp.conf", "bind * *\nconnect * *\n");
    Result run = ChildJvm.probe(dir, agent(config, "-Dsdpshim.protocol=mptcp"), "untouched",
        dir.toString());
    assertEquals(0, run.status(), run::all);
    assertEquals("protocol=17 type=2 data=ok", run.result("udp"), run::all); // IPPROTO_UDP
    assertEquals("domain=1 protocol=0 data=ok", run.result("unix"), run::all); // AF_UNIX
    // The rules were live: the TCP listener next to them was converted.
    assertTrue(run.result("io tcp-control").startsWith("listener=" + MPTCP), run::all);
    assertFalse(run.err().contains("sdp-shim failed inside"), run::all);
  }

  @Test
  void fiveThousandConnectionsUnderAThousandRulesThatMatchNothing() throws Exception {
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      rules.append("connect 10.").append(i / 200).append('.').append(i % 200).append(".1 ")
          .append(1000 + i).append('\n');
      rules.append("bind 192.0.2.").append(i % 250).append(' ').append(2000 + i).append('\n');
    }
    Path config = ChildJvm.writeConfig(dir, "big.conf", rules.toString());
    Result run = ChildJvm.probe(dir, agent(config, "-Dsdpshim.protocol=mptcp"), "many", "5000");
    assertEquals(0, run.status(), run::all);
    String result = run.result("many");
    assertTrue(result != null && result.startsWith("count=5000 last=" + TCP + " "), run::all);
    assertTrue(run.err().contains("1000 rule(s)"), run::all);
    System.out.println("5000 connections under the agent: " + result);
  }

  @Test
  void launcherAgentClassInAnApplicationJar() throws Exception {
    Files.copy(ChildJvm.agentJar(), dir.resolve("agent.jar"));
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, AgentProbe.class.getName());
    main.put(Attributes.Name.CLASS_PATH, "agent.jar " + Path.of(ChildJvm.probeClassPath()).toUri());
    main.putValue("Launcher-Agent-Class", "dev.sdpshim.shim.SdpAgent");
    main.putValue("Can-Retransform-Classes", "true");
    Path app = dir.resolve("app.jar");
    new JarOutputStream(Files.newOutputStream(app), manifest).close();

    Path good = ChildJvm.writeConfig(dir, "sdp.conf", "connect 127.0.0.3 *\n");
    Result run = ChildJvm.run(dir, List.of(ChildJvm.JAVA, "--enable-native-access=ALL-UNNAMED",
        "-Dcom.sun.sdp.conf=" + good, "-Dsdpshim.protocol=mptcp", "-jar", app.toString(),
        "connect", "127.0.0.3"), 60);
    assertEquals(0, run.status(), run::all);
    assertEquals("client=" + MPTCP + " data=ok", run.result("connect 127.0.0.3"), run::all);

    Path bad = ChildJvm.writeConfig(dir, "bad.conf", "connect 127.0.0.3\n");
    Result refused = ChildJvm.run(dir, List.of(ChildJvm.JAVA, "-Dcom.sun.sdp.conf=" + bad,
        "-jar", app.toString(), "connect", "127.0.0.3"), 60);
    assertNotEquals(0, refused.status(), refused::all);
    assertFalse(refused.out().contains("MAIN RAN"), refused::all);
    assertTrue(refused.err().contains("[SDP001]"), refused::all);
  }

  @Test
  void dynamicAttachTakesOverFromTheJdkInARunningJvm() throws Exception {
    Path config = ChildJvm.writeConfig(dir, "sdp.conf", "connect 127.0.0.3 *\n");
    Result run = ChildJvm.probe(dir, List.of("-Dcom.sun.sdp.conf=" + config,
        "-Dsdpshim.protocol=mptcp", "-Djdk.attach.allowAttachSelf=true"),
        "attach", ChildJvm.agentJar().toString());
    assertEquals(0, run.status(), run::all);
    assertEquals("client=" + TCP + " data=ok", run.result("connect 127.0.0.1"), run::all);
    assertTrue(run.out().contains("ATTACHED"), run::all);
    // The JDK's provider was already live (JDK <= 25) and would refuse this one; ours converts.
    assertEquals("client=" + MPTCP + " data=ok", run.result("connect 127.0.0.3"), run::all);
    assertFalse(run.err().contains(JDK_REFUSAL), run::all);
  }

  @Test
  void anAttachWithAnInvalidConfigFailsAndLeavesTheApplicationRunning() throws Exception {
    // Accepted by the JDK (so the application starts), refused by the shim: port above 65535.
    Path config = ChildJvm.writeConfig(dir, "sdp.conf", "connect 127.0.0.3 70000\n");
    Result run = ChildJvm.probe(dir, List.of("-Dcom.sun.sdp.conf=" + config,
        "-Dsdpshim.protocol=mptcp", "-Djdk.attach.allowAttachSelf=true"),
        "attach", ChildJvm.agentJar().toString());
    assertEquals(0, run.status(), run::all);
    assertTrue(run.out().contains("ATTACH REFUSED"), run::all);
    assertTrue(run.err().contains("[SDP010]"), run::all);
    assertEquals("client=" + TCP + " data=ok", run.result("connect 127.0.0.3"), run::all);
    assertTrue(run.out().contains("MAIN DONE"), run::all);
  }
}
