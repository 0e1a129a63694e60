package dev.sdpshim.shim;

import java.util.Map;

/**
 * Symbolic names of the errno values a socket conversion can meet. Java has no such table and
 * glibc's strerrorname_np(3) is missing from musl, so the few that matter are listed here; the
 * numbers are the asm-generic ones shared by Linux x86_64 and aarch64.
 */
final class Errno {
  static final int EBADF = 9;
  static final int ENOPROTOOPT = 92;
  static final int EOPNOTSUPP = 95;
  static final int EAFNOSUPPORT = 97;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(1, "EPERM"),
      Map.entry(2, "ENOENT"),
      Map.entry(4, "EINTR"),
      Map.entry(EBADF, "EBADF"),
      Map.entry(11, "EAGAIN"),
      Map.entry(12, "ENOMEM"),
      Map.entry(13, "EACCES"),
      Map.entry(14, "EFAULT"),
      Map.entry(16, "EBUSY"),
      Map.entry(22, "EINVAL"),
      Map.entry(23, "ENFILE"),
      Map.entry(24, "EMFILE"),
      Map.entry(88, "ENOTSOCK"),
      Map.entry(91, "EPROTOTYPE"),
      Map.entry(ENOPROTOOPT, "ENOPROTOOPT"),
      Map.entry(93, "EPROTONOSUPPORT"),
      Map.entry(94, "ESOCKTNOSUPPORT"),
      Map.entry(EOPNOTSUPP, "EOPNOTSUPP"),
      Map.entry(96, "EPFNOSUPPORT"),
      Map.entry(EAFNOSUPPORT, "EAFNOSUPPORT"),
      Map.entry(98, "EADDRINUSE"),
      Map.entry(105, "ENOBUFS"),
      Map.entry(106, "EISCONN"));

  private Errno() {
  }

  /** "EAFNOSUPPORT" for 97; "errno 300" for a value not in the table. */
  static String name(int errno) {
    String name = NAMES.get(errno);
    return name != null ? name : "errno " + errno;
  }
}
