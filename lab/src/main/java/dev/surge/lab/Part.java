package dev.surge.lab;

import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * A part of a {@link Lab} that is not itself a Jetty {@code LifeCycle} (the Service, the pods, the
 * samplers, the controller, Prometheus): what starting and stopping it means, so the lab can add it
 * as a bean and let {@code ContainerLifeCycle} start the parts in order, stop them in reverse and
 * unwind a failed start.
 *
 * <pre>{@code
 * lab.addBean(Part.of("cpu sampler", cpu::start, cpu::close), true);
 * }</pre>
 */
final class Part extends AbstractLifeCycle {
  /** A start or stop action that may fail. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private final String name;
  private final Action start;
  private final Action stop;

  private Part(String name, Action start, Action stop) {
    this.name = name;
    this.start = start;
    this.stop = stop;
  }

  static Part of(String name, Action start, Action stop) {
    return new Part(name, start, stop);
  }

  /** A part that only needs stopping (it is already running when added). */
  static Part stopping(String name, Action stop) {
    return new Part(name, () -> {}, stop);
  }

  @Override
  protected void doStart() throws Exception {
    start.run();
  }

  @Override
  protected void doStop() throws Exception {
    stop.run();
  }

  @Override
  public String toString() {
    return name;
  }
}
