package dev.sdpshim.conf;

/**
 * One finding about a config file.
 *
 * @param code the stable code
 * @param position where it is (line 0 for the whole file)
 * @param message what is wrong, in words an operator can act on
 * @param jdkFatal true when the JDK 17–25 provider refuses the whole file because of this line:
 *     the first bind or connect of every socket in the JVM then fails
 * @param jdkMessage for a fatal line, the JDK's own message, e.g. {@code Malformed line 'x'}; else empty
 */
public record Diagnostic(Code code, SourcePosition position, String message, boolean jdkFatal, String jdkMessage) {

  public Severity severity() {
    return code.severity();
  }

  public int line() {
    return position.line();
  }

  public int column() {
    return position.column();
  }

  /** {@code line:column: severity: message [SDPnnn]}, without the file name. */
  @Override
  public String toString() {
    return position.line() + ":" + position.column() + ": " + severity().label() + ": " + message + " [" + code + "]";
  }
}
