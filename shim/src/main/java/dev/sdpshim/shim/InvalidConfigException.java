package dev.sdpshim.shim;

import dev.sdpshim.conf.Diagnostic;
import java.util.List;

/**
 * The shim was given a configuration it will not run: a rules file with errors (or one the JDK
 * would refuse), a file it cannot read, or an unknown property value. Thrown when an
 * {@link SdpShim} (and so a factory) is created, never at the first socket.
 *
 * <p>Unchecked, because the factories' public no-arg constructors and {@code getDefault()}
 * methods, which frameworks call by reflection, cannot declare checked exceptions.
 *
 * <p>For a rules file the message lists every diagnostic, one per line, as
 * {@code file:line:column: severity: message [SDPnnn]}; {@code sdpcheck FILE} explains each.
 */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Diagnostic> diagnostics;

  InvalidConfigException(String message) {
    this(message, List.of(), null);
  }

  InvalidConfigException(String message, Throwable cause) {
    this(message, List.of(), cause);
  }

  InvalidConfigException(String message, List<Diagnostic> diagnostics, Throwable cause) {
    super(message, cause);
    this.diagnostics = List.copyOf(diagnostics);
  }

  /** The rules file's diagnostics, in line order; empty when the problem is not in the file. */
  public List<Diagnostic> diagnostics() {
    return diagnostics == null ? List.of() : diagnostics;
  }
}
