package dev.surge.systest.image;

import dev.surge.testkit.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An unpacked image run the way a container runtime (runc under the kubelet) runs it, without one:
 * in the pod's network namespace, a new mount and UTS namespace where the root filesystem is
 * bind-mounted read-only ({@code readOnlyRootFilesystem: true}), a tmpfs at each emptyDir mount
 * path (sized by its {@code sizeLimit}), {@code /proc}, a minimal {@code /dev}, the kubelet's
 * {@code /etc/hosts} and the pod's host name; then {@code chroot} as the pod's {@code
 * runAsUser:runAsGroup} with no-new-privileges and exactly the container's environment (image Env,
 * then the manifest's env, as the kubelet merges them), running entrypoint + args.
 *
 * <p>Every step before the program is an {@code exec}, so the process this object holds is the
 * program itself: {@link #stop()} is the kubelet's SIGTERM to it, and {@link #close()} kills it
 * when it is still alive (the mounts go with its namespace). Output (stdout and stderr) goes to a
 * log file beside the root filesystem. Not thread-safe: one test thread drives it.
 *
 * <pre>{@code
 * try (Container c = Container.builder(rootfs, pod).user(10001, 10001).tmpfs("/tmp", "64m")
 *     .env(env).command(entrypointAndArgs).start()) {
 *   ...
 *   c.stop();
 *   assertThat(c.waitForExit(Duration.ofSeconds(30))).contains(0);
 * }
 * }</pre>
 */
final class Container implements AutoCloseable {
  private final String name;
  private final List<String> command;
  private final Path log;
  private final Process process;

  private Container(String name, List<String> command, Path log, Process process) {
    this.name = name;
    this.command = command;
    this.log = log;
    this.process = process;
  }

  static Builder builder(Path rootfs, PodNetwork.Pod pod) {
    return new Builder(rootfs, pod);
  }

  /** The program's pid on the host (the JVM itself). */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The kubelet's SIGTERM (on pod deletion). */
  void stop() {
    process.destroy();
  }

  /** The exit code once the program exits within {@code timeout}; empty when still running. */
  Optional<Integer> waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          ? Optional.of(process.exitValue())
          : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** What the program printed so far (stdout and stderr). */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** The program's own view of a file under {@code /proc/<pid>/} (mountinfo, status). */
  String proc(String file) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid()), file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid() + "/" + file, e);
    }
  }

  /** The container's command, exit state and the tail of its output, for assertion messages. */
  String describe() {
    String out = output();
    return "container "
        + name
        + " ("
        + String.join(" ", command)
        + ")"
        + (process.isAlive() ? " running" : " exited " + process.exitValue())
        + ", output:\n"
        + (out.length() > 8000 ? "..." + out.substring(out.length() - 8000) : out);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitForExit(Duration.ofSeconds(30));
    }
  }

  /** What one container gets. */
  static final class Builder {
    private final Path rootfs;
    private final PodNetwork.Pod pod;
    private final Map<String, String> tmpfs = new LinkedHashMap<>();
    private final Map<String, Path> readOnlyBinds = new LinkedHashMap<>();
    private final Map<String, Path> writableBinds = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> hosts = new ArrayList<>();
    private List<String> command = List.of();
    private String hostname;
    private int uid = 10001;
    private int gid = 10001;

    private Builder(Path rootfs, PodNetwork.Pod pod) {
      this.rootfs = rootfs;
      this.pod = pod;
      this.hostname = pod.name();
    }

    /** {@code runAsUser} and {@code runAsGroup}. Default is 10001:10001. */
    Builder user(int uid, int gid) {
      this.uid = uid;
      this.gid = gid;
      return this;
    }

    /** An emptyDir at {@code path} as a tmpfs of {@code size} (e.g. {@code 64m}). */
    Builder tmpfs(String path, String size) {
      tmpfs.put(path, size);
      return this;
    }

    /** A host directory at {@code path}, read-only (a Secret or ConfigMap volume). */
    Builder readOnlyBind(Path hostDir, String path) {
      readOnlyBinds.put(path, hostDir);
      return this;
    }

    /** A host directory at {@code path}, writable (a hostPath volume: what a run leaves behind). */
    Builder writableBind(Path hostDir, String path) {
      writableBinds.put(path, hostDir);
      return this;
    }

    /** The container's environment, complete (image Env merged with the manifest's). */
    Builder env(Map<String, String> env) {
      this.env.putAll(env);
      return this;
    }

    /** One more {@code /etc/hosts} line (the kubelet's, or what cluster DNS would answer). */
    Builder host(String ip, String... names) {
      hosts.add(ip + "\t" + String.join(" ", names));
      return this;
    }

    /** The pod's host name. Default is the pod's name. */
    Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    /** Entrypoint followed by args. */
    Builder command(List<String> command) {
      this.command = List.copyOf(command);
      return this;
    }

    /** Prepares the mount points and starts the program. */
    Container start() {
      if (command.isEmpty()) {
        throw new IllegalStateException("no command");
      }
      Path ip = Tools.require("ip", "iproute2");
      Path unshare = Tools.require("unshare", "util-linux");
      Path work = rootfs.getParent();
      Path log = work.resolve(pod.name() + ".log");
      Path script = work.resolve(pod.name() + ".run.sh");
      Path hostsFile = work.resolve(pod.name() + ".hosts");
      try {
        // mount points: a runtime creates them in the container's root before it is made read-only
        for (String dir : List.of("/proc", "/dev")) {
          Files.createDirectories(rootfs.resolve(dir.substring(1)));
        }
        for (String dir : tmpfs.keySet()) {
          Files.createDirectories(rootfs.resolve(dir.substring(1)));
        }
        for (String dir : readOnlyBinds.keySet()) {
          Files.createDirectories(rootfs.resolve(dir.substring(1)));
        }
        for (String dir : writableBinds.keySet()) {
          Files.createDirectories(rootfs.resolve(dir.substring(1)));
        }
        Files.createDirectories(rootfs.resolve("etc"));
        Path etcHosts = rootfs.resolve("etc/hosts");
        if (!Files.exists(etcHosts)) {
          Files.createFile(etcHosts);
        }
        StringBuilder hostsText =
            new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost\n")
                .append(pod.ip())
                .append('\t')
                .append(hostname)
                .append('\n');
        hosts.forEach(h -> hostsText.append(h).append('\n'));
        Files.writeString(hostsFile, hostsText);
        Files.writeString(script, script(hostsFile));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare " + rootfs + " to run", e);
      }
      List<String> full =
          List.of(
              ip.toString(),
              "netns",
              "exec",
              pod.netns(),
              unshare.toString(),
              "--mount",
              "--uts",
              "/bin/sh",
              script.toString());
      ProcessBuilder pb =
          new ProcessBuilder(full)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      try {
        Process process = pb.start();
        process.getOutputStream().close();
        return new Container(pod.name(), command, log, process);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + String.join(" ", full), e);
      }
    }

    private String script(Path hostsFile) {
      String r = quote(rootfs.toString());
      StringBuilder s = new StringBuilder("set -eu\n");
      s.append("mount --make-rprivate /\n");
      s.append("mount --bind ").append(r).append(' ').append(r).append('\n');
      s.append("mount -o remount,bind,ro ").append(r).append('\n');
      s.append("mount -t proc -o nosuid,nodev,noexec proc ").append(r).append("/proc\n");
      s.append("mount -t tmpfs -o nosuid,mode=755,size=64k tmpfs ").append(r).append("/dev\n");
      for (String dev : List.of("null", "zero", "full", "random", "urandom", "tty")) {
        s.append("touch ").append(r).append("/dev/").append(dev).append('\n');
        s.append("mount --bind /dev/")
            .append(dev)
            .append(' ')
            .append(r)
            .append("/dev/")
            .append(dev)
            .append('\n');
      }
      s.append("mount --bind ").append(quote(hostsFile.toString())).append(' ');
      s.append(r).append("/etc/hosts\n");
      s.append("mount -o remount,bind,ro ").append(r).append("/etc/hosts\n");
      for (Map.Entry<String, String> t : tmpfs.entrySet()) {
        s.append("mount -t tmpfs -o nosuid,nodev,mode=1777,size=")
            .append(t.getValue())
            .append(" tmpfs ")
            .append(r)
            .append(quote(t.getKey()))
            .append('\n');
      }
      for (Map.Entry<String, Path> b : readOnlyBinds.entrySet()) {
        String target = r + quote(b.getKey());
        s.append("mount --bind ").append(quote(b.getValue().toString())).append(' ');
        s.append(target).append('\n');
        s.append("mount -o remount,bind,ro ").append(target).append('\n');
      }
      for (Map.Entry<String, Path> b : writableBinds.entrySet()) {
        s.append("mount --bind ").append(quote(b.getValue().toString())).append(' ');
        s.append(r).append(quote(b.getKey())).append('\n');
      }
      s.append("hostname ").append(quote(hostname)).append('\n');
      s.append("exec /usr/bin/setpriv --no-new-privs /usr/bin/env -i");
      env.forEach((k, v) -> s.append(' ').append(quote(k + "=" + v)));
      s.append(" /usr/sbin/chroot --userspec=").append(uid).append(':').append(gid);
      s.append(" --groups=").append(gid);
      s.append(' ').append(r);
      command.forEach(c -> s.append(' ').append(quote(c)));
      return s.append('\n').toString();
    }

    private static String quote(String s) {
      return "'" + s.replace("'", "'\\''") + "'";
    }
  }
}
