package dev.sdpshim.sdpcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sdpshim.conf.Code;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every code, in every output format, against a reviewed golden file. Each case is a directory
 * {@code golden/SDPnnn/} with {@code input.conf} (checked as {@code sdp.conf} on {@link FakeHost}),
 * optional {@code rails.conf} (copied beside it, for {@code --rails rails.conf} in {@code args}),
 * optional {@code args} (one per line) and {@code perms}, the expected {@code exit} status, and one
 * golden output per format. Regenerate with {@code -Dgolden.update=true}, then read every diff.
 */
class GoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  enum Format {
    TEXT("text.txt"), JSON("json.json"), SARIF("sarif.json"), CHECKSTYLE("checkstyle.xml");

    final String file;

    Format(String file) {
      this.file = file;
    }
  }

  static Stream<Arguments> cases() {
    return Arrays.stream(Code.values()).flatMap(c -> Arrays.stream(Format.values()).map(f -> Arguments.of(c, f)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void outputMatchesGolden(Code code, Format format, @TempDir Path dir) throws IOException {
    Path caseDir = GOLDEN.resolve(code.name());
    FakeHost.Result result = run(caseDir, format, dir);
    String actual = normalize(result.out());
    assertTrue(actual.contains(code.name()), code + " does not appear in its own golden case:\n" + actual);
    assertEquals("", result.err());
    Path golden = caseDir.resolve(format.file);
    Path exit = caseDir.resolve("exit");
    if (UPDATE) {
      Files.writeString(golden, actual);
      Files.writeString(exit, result.status() + "\n");
    }
    assertEquals(Files.readString(golden), actual, golden.toString());
    assertEquals(Files.readString(exit).strip(), Integer.toString(result.status()), exit.toString());
  }

  @Test
  void everyCodeHasACaseAndEveryCaseACode() throws IOException {
    Set<String> codes = Arrays.stream(Code.values()).map(Code::name).collect(Collectors.toCollection(TreeSet::new));
    Set<String> dirs;
    try (Stream<Path> s = Files.list(GOLDEN)) {
      dirs = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(codes, dirs);
  }

  /** Runs the case in {@code format} on a fresh fake host in {@code dir}. */
  static FakeHost.Result run(Path caseDir, Format format, Path dir) throws IOException {
    FakeHost host = new FakeHost(dir);
    host.file("sdp.conf", Files.readAllBytes(caseDir.resolve("input.conf")));
    Path rails = caseDir.resolve("rails.conf");
    if (Files.exists(rails)) {
      host.file("rails.conf", Files.readAllBytes(rails));
    }
    Path perms = caseDir.resolve("perms");
    if (Files.exists(perms)) {
      Files.setPosixFilePermissions(host.cwd.resolve("sdp.conf"), PosixFilePermissions.fromString(Files.readString(perms).strip()));
    }
    List<String> args = new ArrayList<>(List.of("--color", "never", "--format", format.name().toLowerCase(java.util.Locale.ROOT)));
    Path extra = caseDir.resolve("args");
    if (Files.exists(extra)) {
      args.addAll(Files.readAllLines(extra, StandardCharsets.UTF_8));
    }
    args.add("sdp.conf");
    return host.run(args.toArray(new String[0]));
  }

  /** The project version changes with every release; the goldens should not. */
  static String normalize(String out) {
    return out.replace("\"version\": \"" + Version.get() + "\"", "\"version\": \"@VERSION@\"");
  }
}
