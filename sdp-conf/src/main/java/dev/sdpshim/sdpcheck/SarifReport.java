package dev.sdpshim.sdpcheck;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * {@code --format sarif}: SARIF 2.1.0 as GitHub code scanning reads it. Every code is listed as a
 * rule so that {@code ruleIndex} is stable; whole-file findings have a location without a region;
 * columns are UTF-16 code units, which is what the parser counts. Unreadable files become tool
 * execution notifications and mark the run unsuccessful.
 */
final class SarifReport implements Report {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  private final String version;

  SarifReport(String version) {
    this.version = version;
  }

  @Override
  public void write(CheckResult result, PrintStream out) throws IOException {
    ObjectNode root = Json.object();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    driver(run.putObject("tool").putObject("driver"));
    invocation(run.putArray("invocations").addObject(), result);
    run.put("columnKind", "utf16CodeUnits");
    ArrayNode results = run.putArray("results");
    for (CheckedFile file : result.files()) {
      for (Diagnostic d : file.shown()) {
        results.add(result(file.name(), d));
      }
    }
    Json.write(root, out);
  }

  private void driver(ObjectNode driver) {
    driver.put("name", "sdpcheck");
    driver.put("version", version);
    ArrayNode rules = driver.putArray("rules");
    for (Code code : Code.values()) {
      ObjectNode rule = rules.addObject();
      rule.put("id", code.name());
      rule.putObject("shortDescription").put("text", code.title());
      rule.putObject("help").put("text", code.title() + ". Documentation: " + code.docPath() + " in the sdp-shim repository.");
      rule.putObject("defaultConfiguration").put("level", level(code.severity()));
      rule.putObject("properties").put("severity", code.severity().label());
    }
  }

  private static void invocation(ObjectNode invocation, CheckResult result) {
    invocation.put("executionSuccessful", result.unreadable().isEmpty());
    if (result.unreadable().isEmpty()) {
      return;
    }
    ArrayNode notes = invocation.putArray("toolExecutionNotifications");
    for (ConfigInput.UnreadableFile u : result.unreadable()) {
      ObjectNode n = notes.addObject();
      n.put("level", "error");
      n.putObject("message").put("text", u.describe());
      n.putArray("locations").addObject().putObject("physicalLocation").putObject("artifactLocation").put("uri", uri(u.file()));
    }
  }

  private static ObjectNode result(String file, Diagnostic d) {
    ObjectNode r = Json.object();
    r.put("ruleId", d.code().name());
    r.put("ruleIndex", d.code().ordinal());
    r.put("level", level(d.severity()));
    r.putObject("message").put("text", Messages.withConsequence(d));
    ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", uri(file));
    if (d.line() > 0) {
      ObjectNode region = physical.putObject("region");
      region.put("startLine", d.line());
      region.put("startColumn", d.column());
      region.put("endColumn", Math.max(d.position().endColumn(), d.column() + 1));
    }
    ObjectNode properties = r.putObject("properties");
    properties.put("severity", d.severity().label());
    properties.put("jdkFatal", d.jdkFatal());
    if (d.jdkFatal()) {
      properties.put("jdkMessage", d.jdkMessage());
    }
    return r;
  }

  /** SARIF has three levels; info and style are both notes. */
  static String level(Severity s) {
    switch (s) {
      case ERROR:
        return "error";
      case WARNING:
        return "warning";
      default:
        return "note";
    }
  }

  /**
   * A relative path stays relative (GitHub resolves it against the repository root), percent-encoded;
   * an absolute one becomes a {@code file:} URI.
   */
  static String uri(String file) {
    if (file.equals(ConfigInput.STDIN)) {
      return "stdin";
    }
    String slashed = file.replace('\\', '/');
    if (slashed.startsWith("/")) {
      return Path.of(file).toUri().toASCIIString();
    }
    while (slashed.startsWith("./")) {
      slashed = slashed.substring(2);
    }
    // A colon in the first segment would read as a URI scheme.
    int colon = slashed.indexOf(':');
    int slash = slashed.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) {
      slashed = "./" + slashed;
    }
    try {
      return new URI(null, null, slashed, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot express " + file + " as a URI", e);
    }
  }
}
