package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.Severity;
import java.io.IOException;
import java.io.PrintStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code --format checkstyle}: the Checkstyle XML report that Jenkins, reviewdog and many CI
 * dashboards read. Every checked file gets a {@code <file>} element, as in Checkstyle's own
 * output; a whole-file finding has line 0 and no column. Escaping is the XML writer's; characters
 * XML 1.0 cannot carry at all are replaced with U+FFFD.
 */
final class CheckstyleReport implements Report {
  @Override
  public void write(CheckResult result, PrintStream out) throws IOException {
    try {
      XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("checkstyle");
      xml.writeAttribute("version", "4.3");
      for (CheckedFile file : result.files()) {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("file");
        xml.writeAttribute("name", xmlSafe(file.name()));
        for (Diagnostic d : file.shown()) {
          xml.writeCharacters("\n    ");
          error(xml, d);
        }
        xml.writeCharacters(file.shown().isEmpty() ? "" : "\n  ");
        xml.writeEndElement();
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.flush();
      xml.close();
      out.print('\n');
    } catch (XMLStreamException e) {
      throw new IOException("cannot write the Checkstyle report", e);
    }
  }

  private static void error(XMLStreamWriter xml, Diagnostic d) throws XMLStreamException {
    xml.writeEmptyElement("error");
    xml.writeAttribute("line", Integer.toString(d.line()));
    if (d.column() > 0) {
      xml.writeAttribute("column", Integer.toString(d.column()));
    }
    xml.writeAttribute("severity", severity(d.severity()));
    xml.writeAttribute("message", xmlSafe(Messages.withConsequence(d)));
    xml.writeAttribute("source", "sdpcheck." + d.code().name());
  }

  /** Checkstyle knows error, warning and info; style findings are info. */
  static String severity(Severity s) {
    switch (s) {
      case ERROR:
        return "error";
      case WARNING:
        return "warning";
      default:
        return "info";
    }
  }

  /** Replaces what no XML 1.0 document may contain (most C0 controls, lone surrogates, U+FFFE/F). */
  static String xmlSafe(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok;
      if (Character.isHighSurrogate(c)) {
        ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        if (ok) {
          if (sb != null) {
            sb.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
      }
      if (!ok && sb == null) {
        sb = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (sb != null) {
        sb.append(ok ? c : '\uFFFD');
      }
    }
    return sb == null ? s : sb.toString();
  }
}
