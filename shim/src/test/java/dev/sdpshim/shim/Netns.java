package dev.sdpshim.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces, client and server, joined by two veth pairs: rail 1 is 10.71.1.0/24
 * (client .1, server .2 and .3), rail 2 is 10.71.2.0/24 (the same host parts). Names carry the
 * process id and a random suffix so that concurrent runs never meet; {@link #close()} deletes the
 * namespaces, which removes the veth pairs with them. Public for other modules' tests (the
 * shim's test-jar), e.g. the cluster's over rails.
 */
public final class Netns implements AutoCloseable {
  public final String client;
  public final String server;
  private final String suffix;
  private final List<String> created = new ArrayList<>();

  private Netns() {
    suffix = ProcessHandle.current().pid() + "x" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    client = "sdprc" + suffix;
    server = "sdprs" + suffix;
  }

  /** Whether this process may create namespaces: root with {@code ip} on the path; else why not. */
  public static String unavailable() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:") && !line.split("\\s+")[1].equals("0")) {
          return "not root (uid " + line.split("\\s+")[1] + "): network namespaces need root; CI runs as root";
        }
      }
      if (new ProcessBuilder("ip", "-V").redirectErrorStream(true).start().waitFor() != 0) {
        return "'ip' (iproute2) does not work here; .ci/run installs it";
      }
    } catch (IOException e) {
      return "'ip' (iproute2) is not installed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    return null;
  }

  public static Netns create() throws IOException {
    Netns n = new Netns();
    try {
      n.setUp();
      return n;
    } catch (IOException | RuntimeException e) {
      n.close();
      throw e;
    }
  }

  private void setUp() throws IOException {
    for (String ns : List.of(client, server)) {
      ip("netns", "add", ns);
      created.add(ns);
      ip("-n", ns, "link", "set", "lo", "up");
    }
    for (int rail = 1; rail <= 2; rail++) {
      ip("link", "add", clientLink(rail), "netns", client, "type", "veth", "peer", "name", serverLink(rail),
          "netns", server);
      ip("-n", client, "addr", "add", "10.71." + rail + ".1/24", "dev", clientLink(rail));
      ip("-n", server, "addr", "add", "10.71." + rail + ".2/24", "dev", serverLink(rail));
      ip("-n", server, "addr", "add", "10.71." + rail + ".3/24", "dev", serverLink(rail));
      ip("-n", client, "link", "set", clientLink(rail), "up");
      ip("-n", server, "link", "set", serverLink(rail), "up");
    }
    // Multipath TCP: the client opens a subflow from its rail 2 address, to the address on rail 2
    // that the server announces; without these a connection lives and dies on its first rail.
    ip("-n", client, "mptcp", "limits", "set", "subflows", "4", "add_addr_accepted", "4");
    ip("-n", server, "mptcp", "limits", "set", "subflows", "4", "add_addr_accepted", "4");
    ip("-n", client, "mptcp", "endpoint", "add", "10.71.2.1", "dev", clientLink(2), "subflow");
    ip("-n", server, "mptcp", "endpoint", "add", "10.71.2.2", "dev", serverLink(2), "signal");
  }

  public String clientLink(int rail) {
    return "c" + rail + "_" + suffix.substring(Math.max(0, suffix.length() - 11));
  }

  public String serverLink(int rail) {
    return "s" + rail + "_" + suffix.substring(Math.max(0, suffix.length() - 11));
  }

  /** Sets a link of namespace {@code ns} up or down. */
  public void link(String ns, String link, boolean up) throws IOException {
    ip("-n", ns, "link", "set", link, up ? "up" : "down");
  }

  static void ip(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + output.strip());
    }
  }

  @Override
  public void close() {
    for (String ns : created) {
      try {
        ip("netns", "del", ns);
      } catch (IOException e) {
        System.err.println("could not delete network namespace " + ns + ": " + e.getMessage());
      }
    }
    created.clear();
  }
}
