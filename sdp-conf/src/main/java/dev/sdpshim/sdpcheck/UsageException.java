package dev.sdpshim.sdpcheck;

/** A command line or probe that sdpcheck cannot act on; reported on stderr with exit status 3. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message, null, false, false);
  }
}
