package dev.leaderdemo.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleEndingThreadPoolTest {

  @Test
  void aBurstStartsAtMostTheBoundAndItsThreadsEndOnceIdle() throws Exception {
    ExecutorService pool = IdleEndingThreadPool.of("reconciler", 3, Duration.ofMillis(200));
    try {
      Set<String> names = ConcurrentHashMap.newKeySet();
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(10);
      for (int i = 0; i < 10; i++) {
        pool.execute(
            () -> {
              names.add(Thread.currentThread().getName());
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              done.countDown();
            });
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> names.size() == 3);
      release.countDown();
      assertThat(done.await(10, TimeUnit.SECONDS)).as("all ten tasks ran").isTrue();
      assertThat(names).containsExactlyInAnyOrder("reconciler-1", "reconciler-2", "reconciler-3");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ((ThreadPoolExecutor) pool).getPoolSize() == 0);
    } finally {
      pool.shutdownNow();
    }
  }
}
