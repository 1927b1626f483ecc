package dev.leaderdemo.process;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Named daemon threads for work on the side (events, expiry timers, a bounded release), so that
 * none of them can keep a stopping process alive and each is recognisable in a thread dump.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    };
  }

  public static ExecutorService singleThread(String name) {
    return Executors.newSingleThreadExecutor(named(name));
  }

  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(named(name));
  }

  public static Thread start(String name, Runnable task) {
    Thread t = named(name).newThread(task);
    t.start();
    return t;
  }
}
