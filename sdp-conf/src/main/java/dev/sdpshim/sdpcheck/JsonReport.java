package dev.sdpshim.sdpcheck;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.SdpConfig;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code --format json}: {@code diagnostics}, one entry per finding (line and column 0 mean the
 * whole file), and {@code files}, one entry per FILE with the JDK's verdict or why it was unreadable.
 */
final class JsonReport implements Report {
  @Override
  public void write(CheckResult result, PrintStream out) throws IOException {
    ObjectNode root = Json.object();
    ArrayNode diagnostics = root.putArray("diagnostics");
    ArrayNode files = root.putArray("files");
    for (CheckedFile file : result.files()) {
      for (Diagnostic d : file.shown()) {
        diagnostics.add(entry(file.name(), d));
      }
      files.add(summary(file));
    }
    for (ConfigInput.UnreadableFile u : result.unreadable()) {
      files.addObject().put("file", u.file()).put("error", u.getMessage());
    }
    Json.write(root, out);
  }

  private static ObjectNode entry(String file, Diagnostic d) {
    ObjectNode o = Json.object();
    o.put("file", file);
    o.put("line", d.line());
    o.put("column", d.column());
    o.put("endColumn", d.position().endColumn());
    o.put("code", d.code().name());
    o.put("severity", d.severity().label());
    o.put("message", d.message());
    o.put("jdkFatal", d.jdkFatal());
    if (d.jdkFatal()) {
      o.put("jdkMessage", d.jdkMessage());
    }
    return o;
  }

  private static ObjectNode summary(CheckedFile file) {
    ObjectNode o = Json.object();
    o.put("file", file.name());
    if (file.rails() != null) {
      o.put("rails", file.rails().rails().size());
      o.put("valid", file.rails().isValid());
      return o;
    }
    SdpConfig c = file.config();
    o.put("rules", c.rules().size());
    o.put("jdkAccepts", c.jdkAccepts());
    c.jdkRefusal().ifPresent(r -> o.put("jdkRefusal", r));
    return o;
  }
}
