package dev.sdpshim.conf;

/**
 * One rule line of a {@code com.sun.sdp.conf} file as the runtime uses it.
 *
 * @param index position among the file's rules, 0-based, in file order; the matcher reports the
 *     lowest-index matching rule so that a decision is attributed to the first rule that made it
 * @param action bind or connect
 * @param address the address field and what it matches
 * @param ports the port range
 * @param position where the rule is in the file
 */
public record Rule(int index, Action action, AddressSpec address, PortRange ports, SourcePosition position) {

  /** Whether this rule converts a {@code action} to {@code address}:{@code port}. */
  public boolean matches(Action action, java.net.InetAddress address, int port) {
    if (this.action != action || !ports.contains(port)) {
      return false;
    }
    if (this.address.matchesAnyAddress()) {
      return true;
    }
    for (AddressBlock block : this.address.blocks()) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The rule in canonical form: lower-case action, fields as written, single spaces. */
  public String canonicalText() {
    return action.keyword() + " " + address.text() + " " + ports;
  }

  /** {@code line 3: connect 192.168.0.0/24 1024-*}. */
  @Override
  public String toString() {
    return "line " + position.line() + ": " + position.text().strip();
  }
}
