package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.Code;
import dev.sdpshim.conf.Diagnostic;
import dev.sdpshim.conf.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code --include}, {@code --exclude} and {@code --severity} let through. A finding that makes
 * the JDK refuse the file always passes, as with suppression comments: hiding it would let a file
 * through that takes every socket of the JVM down.
 *
 * @param include the codes to show, or empty for all
 */
record DiagnosticFilter(Set<Code> include, Set<Code> exclude, Severity minimum) {

  boolean shows(Diagnostic d) {
    if (d.jdkFatal()) {
      return true;
    }
    return d.severity().atLeast(minimum) && (include.isEmpty() || include.contains(d.code())) && !exclude.contains(d.code());
  }

  List<Diagnostic> apply(List<Diagnostic> all) {
    List<Diagnostic> shown = new ArrayList<>(all.size());
    for (Diagnostic d : all) {
      if (shows(d)) {
        shown.add(d);
      }
    }
    return shown;
  }
}
