package dev.sdpshim.shim;

/**
 * The arguments of one socket(2) call: what a replacement socket is made of. Kept as data so
 * that the converter, the availability probe and error messages all describe the same call.
 */
record SocketCall(int domain, int type, int protocol) {

  /** Makes the call; the caller owns the returned descriptor. */
  int open() throws NativeCallException {
    return Libc.socket(domain, type, protocol);
  }

  @Override
  public String toString() {
    return "socket(" + Libc.familyName(domain) + ", "
        + (type == Libc.SOCK_STREAM ? "SOCK_STREAM" : type) + ", "
        + Libc.protocolName(protocol) + ")";
  }
}
