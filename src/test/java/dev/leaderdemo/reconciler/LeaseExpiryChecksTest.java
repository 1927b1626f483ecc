package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.ManualClock;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Expiry checks with the clock and the timer in the test's hands: nothing waits for real time. */
class LeaseExpiryChecksTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** A task the timer holds, with the delay it was given. */
  private record Scheduled(Runnable task, Duration delay, CompletableFuture<Void> future) {}

  private final ManualClock clock = new ManualClock(T0);
  private final List<Scheduled> scheduled = new ArrayList<>();
  private final List<Lease> expired = new ArrayList<>();
  private Optional<Lease> cached = Optional.empty();
  private final LeaseExpiryChecks checks =
      new LeaseExpiryChecks(clock, this::schedule, id -> cached, expired::add);

  private Future<?> schedule(Runnable task, Duration delay) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    scheduled.add(new Scheduled(task, delay, future));
    return future;
  }

  /** Moves the clock to the last armed check's instant and runs it. */
  private void runLastCheck() {
    Scheduled last = scheduled.get(scheduled.size() - 1);
    assertThat(last.future().isCancelled()).isFalse();
    clock.advance(last.delay());
    last.task().run();
  }

  private static Lease held(String holder, Instant renewed) {
    return TestLeases.lease(holder, T0, renewed, 15, 0);
  }

  @Test
  void aHeldLeaseIsCheckedJustAfterItWouldExpire() {
    checks.watch(held("pod-a", T0.minusSeconds(5)));

    assertThat(scheduled).singleElement();
    // expiry at T0+10s, the margin after it, up to the grid's next step
    assertThat(scheduled.get(0).delay()).isEqualTo(Duration.ofMillis(10_250));
  }

  @Test
  void checksOfLeasesExpiringBetweenTwoStepsOfTheGridFallDueTogether() {
    Lease a = held("pod-a", T0.minusMillis(4_990));
    Lease b = held("pod-b", T0.minusMillis(4_880));
    b.getMetadata().setName("other");
    checks.watch(a);
    clock.advance(Duration.ofMillis(7));
    checks.watch(b);

    assertThat(scheduled).hasSize(2);
    Instant first = T0.plus(scheduled.get(0).delay());
    Instant second = T0.plusMillis(7).plus(scheduled.get(1).delay());
    assertThat(first).isEqualTo(second).isEqualTo(T0.plusMillis(10_250));
  }

  @Test
  void renewalsArmNoSecondCheck() {
    checks.watch(held("pod-a", T0));
    clock.advance(Duration.ofSeconds(2));
    checks.watch(held("pod-a", clock.instant()));
    checks.watch(held("pod-a", clock.instant()));

    assertThat(scheduled).hasSize(1);
    assertThat(checks.pending()).isEqualTo(1);
  }

  @Test
  void aCheckThatFindsTheLeaseRenewedReArmsForTheNewExpiry() {
    checks.watch(held("pod-a", T0));
    cached = Optional.of(held("pod-a", T0.plusSeconds(14)));

    runLastCheck();

    assertThat(expired).isEmpty();
    assertThat(scheduled).hasSize(2);
    // renewed at T0+14s, checked at T0+15.25s: the claim runs to T0+29s, checked at T0+29.25s
    assertThat(scheduled.get(1).delay()).isEqualTo(Duration.ofSeconds(14));
  }

  @Test
  void aLeaseThatReallyExpiredIsHandedOnOnce() {
    Lease lease = held("pod-a", T0);
    checks.watch(lease);
    cached = Optional.of(lease);

    runLastCheck();

    assertThat(expired).containsExactly(lease);
    assertThat(checks.pending()).isZero();
    assertThat(scheduled).hasSize(1);
  }

  @Test
  void aReleasedOrAlreadyExpiredLeaseNeedsNoCheck() {
    checks.watch(TestLeases.lease(null, T0, T0, 1, 3));
    checks.watch(held("pod-a", T0.minusSeconds(15)));

    assertThat(scheduled).isEmpty();
  }

  @Test
  void aCheckFindingTheLeaseReleasedStops() {
    checks.watch(held("pod-a", T0));
    cached = Optional.of(TestLeases.lease(null, T0, T0.plusSeconds(3), 1, 0));

    runLastCheck();

    assertThat(expired).isEmpty();
    assertThat(scheduled).hasSize(1);
  }

  @Test
  void aDeletedLeaseHasItsCheckCancelled() {
    Lease lease = held("pod-a", T0);
    checks.watch(lease);

    checks.forget(lease);

    assertThat(scheduled.get(0).future().isCancelled()).isTrue();
    assertThat(checks.pending()).isZero();
    // a Lease deleted and created again is watched afresh
    checks.watch(lease);
    assertThat(scheduled).hasSize(2);
  }
}
