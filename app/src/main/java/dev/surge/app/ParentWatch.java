package dev.surge.app;

import dev.surge.common.cli.ExitCode;
import java.util.Map;
import java.util.Optional;

/**
 * Ends the app when the process that started it is gone, for supervisors that run the app as a
 * child process (the lab): with {@code SURGE_PARENT_PID} set, a daemon thread checks once a second
 * whether this process's parent is still that pid; when it is not (the supervisor died, even by
 * SIGKILL, and the app was re-parented), the app exits at once. Nobody is left to send it traffic,
 * so there is nothing to drain. Unset (the normal case), it does nothing.
 */
final class ParentWatch {
  static final String ENV = "SURGE_PARENT_PID";

  private ParentWatch() {}

  /**
   * Starts the watch when {@code env} names a parent pid.
   *
   * @throws IllegalArgumentException when the value is not a pid
   */
  static void start(Map<String, String> env) {
    String text = env.get(ENV);
    if (text == null || text.isBlank()) {
      return;
    }
    long expected;
    try {
      expected = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ENV + " '" + text + "': not a process id", e);
    }
    Thread t =
        new Thread(
            () -> {
              while (true) {
                Optional<Long> parent = ProcessHandle.current().parent().map(ProcessHandle::pid);
                if (parent.isEmpty() || parent.get() != expected) {
                  Runtime.getRuntime().halt(ExitCode.OK.code());
                }
                try {
                  Thread.sleep(1000); // a liveness poll, not synchronization: nothing waits on it
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "surge-parent-watch");
    t.setDaemon(true);
    t.start();
  }
}
