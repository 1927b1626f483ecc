package dev.leaderdemo.operator;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of at most a fixed number of threads, none of which stays idle longer than a keep-alive.
 *
 * <p>JOSDK's own pools are fixed: the 50 reconcile and 50 workflow threads that one burst of
 * reconciles starts stay for the life of the process, and an idle operator keeps their stacks
 * (about 15 MiB at 1000 LeaderDemos). These start the same threads for a burst and end them once it
 * is over.
 */
final class IdleEndingThreadPool {

  private IdleEndingThreadPool() {}

  static ExecutorService of(String name, int threads, Duration keepAlive) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            keepAlive.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            numbered(name));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Non-daemon, as JOSDK's are: a reconcile under way is not cut off by the JVM's exit. */
  private static ThreadFactory numbered(String name) {
    AtomicInteger next = new AtomicInteger(1);
    return task -> new Thread(task, name + "-" + next.getAndIncrement());
  }
}
