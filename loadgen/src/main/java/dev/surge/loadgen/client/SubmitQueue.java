package dev.surge.loadgen.client;

import dev.surge.loadgen.record.RunRecorder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bounded hand-over of requests from senders (the dispatcher, or in the closed model the
 * event-loop threads themselves) to one event loop: a lock-free array queue in the manner of Dmitry
 * Vyukov's bounded MPMC queue, with one consumer. Nothing is allocated per request.
 *
 * <p>Any thread may {@link #offer}; only the owning loop thread may {@link #poll} and read the
 * polled slot.
 */
final class SubmitQueue {
  private final int mask;
  private final AtomicLongArray sequence;
  private final RequestTemplate[] templates;
  private final RunRecorder[] recorders;
  private final Completion[] completions;
  private final long[] intended;
  private final long[] queuedAt;
  private final AtomicLong tail = new AtomicLong();
  private long head;

  // The slot read by the last poll (valid until the next poll).
  RequestTemplate template;
  RunRecorder recorder;
  Completion completion;
  long polledIntended;
  long polledQueuedAt;

  SubmitQueue(int minCapacity) {
    int capacity = Integer.highestOneBit(Math.max(2, minCapacity - 1)) << 1;
    mask = capacity - 1;
    sequence = new AtomicLongArray(capacity);
    for (int i = 0; i < capacity; i++) {
      sequence.set(i, i);
    }
    templates = new RequestTemplate[capacity];
    recorders = new RunRecorder[capacity];
    completions = new Completion[capacity];
    intended = new long[capacity];
    queuedAt = new long[capacity];
  }

  /** Adds a request; false when the queue is full. */
  boolean offer(RequestTemplate t, RunRecorder r, Completion c, long intendedNanos, long now) {
    long pos = tail.get();
    while (true) {
      int i = (int) pos & mask;
      long dif = sequence.getAcquire(i) - pos;
      if (dif == 0) {
        if (tail.compareAndSet(pos, pos + 1)) {
          templates[i] = t;
          recorders[i] = r;
          completions[i] = c;
          intended[i] = intendedNanos;
          queuedAt[i] = now;
          sequence.setRelease(i, pos + 1);
          return true;
        }
        pos = tail.get();
      } else if (dif < 0) {
        return false;
      } else {
        pos = tail.get();
      }
    }
  }

  /** Takes the oldest request into the public fields; false when empty. Loop thread only. */
  boolean poll() {
    int i = (int) head & mask;
    if (sequence.getAcquire(i) != head + 1) {
      return false;
    }
    template = templates[i];
    recorder = recorders[i];
    completion = completions[i];
    polledIntended = intended[i];
    polledQueuedAt = queuedAt[i];
    templates[i] = null;
    recorders[i] = null;
    completions[i] = null;
    sequence.setRelease(i, head + mask + 1);
    head++;
    return true;
  }

  /** Whether nothing is waiting (a hint for any thread; exact for the loop thread). */
  boolean isEmpty() {
    return tail.get() == head;
  }
}
