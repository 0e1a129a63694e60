package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member in a child JVM (m3) that is killed, hung with SIGSTOP, or paused for 2 s with
 * SIGSTOP/SIGCONT (a long GC), watched by two members in this JVM.
 */
@Timeout(120)
class FailureDetectionIT {
  private static final Duration CRASH_TARGET = Duration.ofSeconds(1);
  private static final Duration HANG_TARGET = Duration.ofSeconds(6);
  private static final List<String> WITH_CHILD = List.of("m1", "m2", "m3");
  private static final List<String> WATCHERS = List.of("m1", "m2");

  @TempDir
  Path dir;

  @Test
  void aKilledMemberIsRemovedWithinOneSecond() throws Exception {
    assertRemovedWithin(CRASH_TARGET, "killed", child -> child.process.destroyForcibly());
  }

  @Test
  void aHungMemberIsRemovedWithinSixSeconds() throws Exception {
    assertRemovedWithin(HANG_TARGET, "hung", child -> child.signal("STOP"));
  }

  /** Does {@code fault} to the child and measures until both watchers have removed it. */
  private void assertRemovedWithin(Duration target, String what, ChildFault fault) throws Exception {
    try (TestCluster cluster = new TestCluster(what, 3); Child child = Child.start(cluster, dir)) {
      fault.apply(child);
      Duration removed = Await.until(target.multipliedBy(4), () -> cluster.allSee(WATCHERS, WATCHERS), cluster::views);
      System.out.printf("%s member removed after %d ms%n", what, removed.toMillis());
      assertTrue(removed.compareTo(target) <= 0, what + " member removed after " + removed.toMillis() + " ms");
    }
  }

  @FunctionalInterface
  private interface ChildFault {
    void apply(Child child) throws Exception;
  }

  @Test
  void aTwoSecondPauseRemovesNobody() throws Exception {
    try (TestCluster cluster = new TestCluster("pause", 3); Child child = Child.start(cluster, dir)) {
      List<Member> before = cluster.node("m1").member.members();
      List<List<Member>> changes = new CopyOnWriteArrayList<>();
      TestCluster.Node m1 = cluster.node("m1");
      // Every view m1 or m2 installs from now on is recorded: there must be none.
      Thread watcher = Thread.ofPlatform().daemon().start(() -> {
        List<Member> last = before;
        while (!Thread.currentThread().isInterrupted()) {
          for (String w : WATCHERS) {
            List<Member> now = cluster.node(w).member.members();
            if (!now.equals(last)) {
              changes.add(now);
              last = now;
            }
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      try {
        child.signal("STOP");
        Thread.sleep(2000);
        child.signal("CONT");
        Thread.sleep(6000); // past the longest detection (FD_ALL3 timeout + interval + WITNESS)
      } finally {
        watcher.interrupt();
        watcher.join();
      }
      assertEquals(List.of(), changes, "no view change during or after the pause");
      assertEquals(before, m1.member.members(), "the same three incarnations");
      assertTrue(child.process.isAlive());
    }
  }

  /** m3 in a child JVM, joined to the cluster whose m1 and m2 run here. */
  private static final class Child implements AutoCloseable {
    final Process process;

    private Child(Process process) {
      this.process = process;
    }

    static Child start(TestCluster cluster, Path dir) throws Exception {
      cluster.start(1, "A");
      cluster.start(2, "A");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      String flags = System.getProperty("shim.jvm.flags", "");
      if (!flags.isBlank()) {
        command.addAll(Arrays.asList(flags.trim().split("\\s+")));
      }
      command.addAll(List.of("-Xmx256m", "-cp", classPath(), ChildMember.class.getName(), cluster.name, "m3",
          Integer.toString(cluster.port(3)),
          cluster.peers().stream().map(p -> Integer.toString(p.getPort())).collect(Collectors.joining(",")),
          new String(TestCluster.SECRET, StandardCharsets.UTF_8)));
      Path out = dir.resolve("m3.out");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      Child child = new Child(process);
      try {
        Await.until(Duration.ofSeconds(30), () -> cluster.allSee(WATCHERS, WITH_CHILD) || !process.isAlive(),
            () -> cluster.views() + "\n" + read(out));
        assertTrue(process.isAlive(), () -> "the child JVM ended: " + read(out));
        return child;
      } catch (Throwable t) {
        child.close();
        throw t;
      }
    }

    void signal(String signal) throws Exception {
      Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + process.pid()).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        process.destroyForcibly();
        new ProcessBuilder("sh", "-c", "kill -CONT " + process.pid() + " 2>/dev/null").start().waitFor();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }

    private static String classPath() {
      String cp = System.getProperty("surefire.test.class.path");
      return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static String read(Path file) {
      try {
        return Files.exists(file) ? Files.readString(file) : "";
      } catch (java.io.IOException e) {
        return e.toString();
      }
    }
  }
}
