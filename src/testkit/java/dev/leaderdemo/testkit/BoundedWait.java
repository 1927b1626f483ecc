package dev.leaderdemo.testkit;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The one way the ITs, the demo and the benchmarks wait: poll the condition every 100 ms until it
 * holds, for at most a bound, never a fixed sleep. An API request that fails on the way is retried,
 * not taken as the answer.
 */
public final class BoundedWait {

  private static final Duration POLL = Duration.ofMillis(100);

  private BoundedWait() {}

  /** Waits of the Awaitility kind: {@code await(what, atMost).until(supplier, predicate)}. */
  public static ConditionFactory await(String what, Duration atMost) {
    return Awaitility.await(what)
        .atMost(atMost)
        .pollInterval(POLL)
        .pollDelay(Duration.ZERO)
        .ignoreExceptionsInstanceOf(KubernetesClientException.class);
  }

  /** Waits until {@code condition} holds; an Awaitility ConditionTimeoutException after that. */
  public static void until(String what, Duration atMost, BooleanSupplier condition) {
    await(what, atMost).until(condition::getAsBoolean);
  }
}
