package dev.surge.app;

import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * A part that only needs closing (the burners, whose threads exist from construction) as a Jetty
 * lifecycle bean, so that its container closes it in reverse order, also after a failed start.
 */
final class Closing extends AbstractLifeCycle {
  private final AutoCloseable part;

  Closing(AutoCloseable part) {
    this.part = part;
  }

  @Override
  protected void doStop() throws Exception {
    part.close();
  }

  @Override
  public String toString() {
    return "Closing[" + part.getClass().getSimpleName() + "]";
  }
}
