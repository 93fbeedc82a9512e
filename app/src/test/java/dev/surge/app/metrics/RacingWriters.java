package dev.surge.app.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Writer threads that start at once and each run a bounded loop, for tests that scrape while they
 * write: {@code while (writers.running()) scrape(); writers.join();}.
 */
final class RacingWriters {
  /** One writer's work: its {@code i}-th of a bounded number of writes. */
  interface Write {
    void write(int i);
  }

  private final List<Thread> workers = new ArrayList<>();

  private RacingWriters() {}

  /** Starts {@code threads} writers that each call {@code write} for i = 0 .. perThread - 1. */
  static RacingWriters start(int threads, int perThread, Write write) {
    RacingWriters w = new RacingWriters();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  write.write(i);
                }
              });
      worker.start();
      w.workers.add(worker);
    }
    start.countDown();
    return w;
  }

  /** True while a writer is still writing. */
  boolean running() {
    return workers.stream().anyMatch(Thread::isAlive);
  }

  /** Waits for every writer. */
  void join() throws InterruptedException {
    for (Thread t : workers) {
      t.join();
    }
  }
}
