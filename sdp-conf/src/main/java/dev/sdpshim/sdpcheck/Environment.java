package dev.sdpshim.sdpcheck;

import dev.sdpshim.conf.HostResolver;
import java.io.Console;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Everything sdpcheck takes from the machine it runs on, gathered so that tests can fake it: the
 * working directory, environment variables, whether stdout is a terminal, name resolution, the
 * network interfaces and their sysfs types, and the JDK to judge the file for by default.
 *
 * @param terminalCheck whether stdout is a terminal
 * @param cwd relative FILE arguments are resolved against it
 * @param sysfsNet the directory holding {@code IF/type} per interface, normally /sys/class/net
 * @param jdkFeature the default for {@code --jdk}
 */
record Environment(Path cwd, Map<String, String> variables, BooleanSupplier terminalCheck, HostResolver resolver,
    LocalInterfaces interfaces, Path sysfsNet, int jdkFeature) {

  static Environment system() {
    return new Environment(Path.of("").toAbsolutePath(), System.getenv(), Environment::consoleIsTerminal, HostResolver.system(),
        LocalInterfaces.system(), Path.of("/sys/class/net"), Runtime.version().feature());
  }

  Path resolve(String file) {
    return cwd.resolve(file);
  }

  String variable(String name) {
    return variables.get(name);
  }

  /** Asked only when colour is on auto: looking at the console costs start-up time on newer JDKs. */
  boolean stdoutIsTerminal() {
    return terminalCheck.getAsBoolean();
  }

  /**
   * Whether stdout is a terminal. Up to JDK 21 {@link System#console()} is null unless stdin and
   * stdout both are; from JDK 22 it always exists and {@code Console.isTerminal()} answers. The
   * method is looked up by reflection because this code is compiled for Java 17.
   */
  private static boolean consoleIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
