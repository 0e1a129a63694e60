package dev.sdpshim.shim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RailsPeer} (or another main class of the class path) in a child JVM inside a network
 * namespace, spoken to line by line: it prints {@code READY [ARGUMENT]} once started, then one
 * answer line per command line ({@code ERR ...} for a failure) and exits on {@code quit} or at the
 * end of its input. Its standard error (the shim's log) goes to a file, read by {@link #log()}.
 * Public for other modules' tests (the shim's test-jar).
 */
public final class PeerProcess implements AutoCloseable {
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Process process;
  private final PrintWriter in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path log;
  private final List<String> command;

  private PeerProcess(List<String> command, Path log) throws IOException {
    this.command = command;
    this.log = log;
    this.process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("EOF " + e);
      }
      lines.add("EOF");
    });
  }

  /** {@code ip netns exec NS java FLAGS -cp CLASSPATH RailsPeer ARGS}; waits for its READY line. */
  static PeerProcess start(String namespace, Path dir, String... args) throws IOException {
    return start(namespace, dir, RailsPeer.class, args);
  }

  /**
   * {@code ip netns exec NS java FLAGS -cp CLASSPATH MAIN ARGS}, with this JVM's class path and
   * the shim's JVM flags (system property {@code shim.jvm.flags}); waits for its READY line.
   * {@code args[0]} names its log file in {@code dir}.
   */
  public static PeerProcess start(String namespace, Path dir, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, JAVA));
    command.addAll(List.of(System.getProperty("shim.jvm.flags", "").trim().split("\\s+")));
    command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp",
        System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    PeerProcess peer = new PeerProcess(command, Files.createTempFile(dir, "peer-" + args[0], ".log"));
    String ready = peer.next(Duration.ofSeconds(60));
    if (!ready.startsWith("READY")) {
      peer.close();
      throw new IOException("peer did not start: " + ready + "\n" + peer.describe());
    }
    peer.ready = ready;
    return peer;
  }

  private String ready;

  /** The READY line's argument (the server's port). */
  public String readyArgument() {
    return ready.substring("READY".length()).strip();
  }

  /** Sends one command and returns its answer; fails the test with the child's log on an error. */
  public String ask(String command, Duration timeout) throws IOException {
    in.println(command);
    String answer = next(timeout);
    if (answer.startsWith("ERR") || answer.startsWith("EOF")) {
      throw new AssertionError(command + " -> " + answer + "\n" + describe());
    }
    return answer;
  }

  private String next(Duration timeout) throws IOException {
    try {
      String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new AssertionError("no answer within " + timeout + "\n" + describe());
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  private String describe() {
    try {
      return "command: " + String.join(" ", command) + "\nlog:\n" + log();
    } catch (IOException e) {
      return "command: " + String.join(" ", command) + " (log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    in.println("quit");
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
