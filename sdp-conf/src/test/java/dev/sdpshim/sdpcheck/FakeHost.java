package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.HostResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A made-up host for running sdpcheck in-process: a working directory, a resolver that knows a
 * few names and never touches DNS, and three interfaces with their sysfs types:
 * lo (127.0.0.1, ::1; type 772), eth0 (192.0.2.1; type 1) and ib0 (10.10.0.5, fe80::10; type 32).
 */
final class FakeHost {
  static final Map<String, List<String>> NAMES = Map.of(
      "db.example", List.of("10.10.0.20"),
      "dual.example", List.of("10.10.0.21", "fd00:10::21"),
      "localhost", List.of("127.0.0.1"));

  final Path cwd;
  final Path sysfs;
  private final Map<String, String> variables = new HashMap<>();
  private boolean terminal;
  private int jdk = 25;
  private LocalInterfaces interfaces = () -> List.of(
      new LocalInterface("lo", List.of(ip("127.0.0.1"), ip("::1"))),
      new LocalInterface("eth0", List.of(ip("192.0.2.1"))),
      new LocalInterface("ib0", List.of(ip("10.10.0.5"), ip("fe80::10"))));

  /** What one run printed and returned. */
  record Result(int status, String out, String err) {}

  FakeHost(Path dir) {
    try {
      cwd = Files.createDirectories(dir.resolve("work"));
      sysfs = Files.createDirectories(dir.resolve("sys/class/net"));
      sysfsType("lo", "772");
      sysfsType("eth0", "1");
      sysfsType("ib0", "32");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void sysfsType(String name, String type) throws IOException {
    Files.writeString(Files.createDirectories(sysfs.resolve(name)).resolve("type"), type + "\n");
  }

  FakeHost interfaces(List<LocalInterface> list) {
    List<LocalInterface> copy = List.copyOf(list);
    return interfaces(() -> copy);
  }

  FakeHost interfaces(LocalInterfaces source) {
    interfaces = source;
    return this;
  }

  FakeHost variable(String name, String value) {
    variables.put(name, value);
    return this;
  }

  FakeHost terminal(boolean isTerminal) {
    terminal = isTerminal;
    return this;
  }

  FakeHost jdk(int feature) {
    jdk = feature;
    return this;
  }

  Environment environment() {
    boolean tty = terminal;
    return new Environment(cwd, Map.copyOf(variables), () -> tty, RESOLVER, interfaces, sysfs, jdk);
  }

  /** Writes {@code text} to {@code name} in the working directory, rw-r--r--, and returns the name. */
  String file(String name, String text) {
    return file(name, text.getBytes(StandardCharsets.UTF_8));
  }

  String file(String name, byte[] bytes) {
    try {
      Path p = cwd.resolve(name);
      Files.createDirectories(p.getParent());
      Files.write(p, bytes);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
      return name;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Result run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  Result runWithStdin(String stdin, String... args) {
    return runWithStdin(stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  Result runWithStdin(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = new Sdpcheck(environment()).run(args, new ByteArrayInputStream(stdin), o, e);
    }
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /** Knows {@link #NAMES}; parses literals like the JDK; anything else is an unknown host. */
  static final HostResolver RESOLVER = new HostResolver() {
    @Override
    public List<InetAddress> resolveAll(String host) throws UnknownHostException {
      List<String> known = NAMES.get(host);
      if (known != null) {
        return known.stream().map(FakeHost::ip).toList();
      }
      List<InetAddress> literal = HostResolver.offline().resolveAll(host);
      if (literal.isEmpty()) {
        throw new UnknownHostException(host);
      }
      return literal;
    }

    @Override
    public InetAddress resolveFirst(String host) throws UnknownHostException {
      return resolveAll(host).get(0);
    }
  };
}
