package dev.leaderdemo.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseWriteFenceTest {

  private static final String API = "https://127.0.0.1:6443";
  private static final String LEASE =
      API + "/apis/coordination.k8s.io/v1/namespaces/ops/leases/leaderdemo-operator";
  private static final String STATUS =
      API + "/apis/leaderdemo.dev/v1alpha1/namespaces/a/leaderdemos/d/status";

  private final AtomicLong now = new AtomicLong(0);
  private final CountDownLatch exited = new CountDownLatch(1);
  private final OperatorLeadership leadership =
      new OperatorLeadership("operator-0", Duration.ofSeconds(3), now::get, exited::countDown);
  private final LeaseWriteFence fence =
      new LeaseWriteFence(leadership, "ops", "leaderdemo-operator", now::get);

  private static HttpRequest request(String method, String uri) {
    return new StandardHttpRequest.Builder()
        .uri(uri)
        .method(method, "application/json", "{}")
        .build();
  }

  private void send(String method, String uri) {
    fence.before(new StandardHttpRequest.Builder(), request(method, uri), null);
  }

  private void renewLease(long atNanos, int code) {
    now.set(atNanos);
    send("GET", LEASE);
    send("PATCH", LEASE);
    fence.after(request("PATCH", LEASE), new Response(code), null);
  }

  @Test
  void aStandbyMayReadButNotWrite() {
    assertThatCode(() -> send("GET", STATUS)).doesNotThrowAnyException();
    assertThatThrownBy(() -> send("PATCH", STATUS))
        .isInstanceOf(LeaseWriteFence.NotLeaderException.class)
        .hasMessageContaining(
            "PATCH /apis/leaderdemo.dev/v1alpha1/namespaces/a/leaderdemos/d/status refused")
        .hasMessageContaining("operator-0 does not hold a fresh operator lease");
  }

  @Test
  void leadingWithoutASuccessfulLeaseWriteSeenIsNotEnough() {
    now.set(Long.MAX_VALUE / 2);
    leadership.callbacks().onStartLeading();
    assertThatThrownBy(() -> send("PATCH", STATUS))
        .isInstanceOf(LeaseWriteFence.NotLeaderException.class);
  }

  @Test
  void theLeaseItselfAndTheStartupAccessReviewAlwaysPass() {
    assertThatCode(
            () -> {
              send("GET", LEASE);
              send("PUT", LEASE);
              send("POST", API + "/apis/coordination.k8s.io/v1/namespaces/ops/leases");
              send("POST", API + "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews");
            })
        .doesNotThrowAnyException();
  }

  @Test
  void aLeaderWritesOnlyWithinARenewDeadlineOfItsLastSuccessfulRenewal() {
    renewLease(0, 200);
    leadership.callbacks().onStartLeading();

    now.set(Duration.ofMillis(2999).toNanos());
    assertThatCode(() -> send("PATCH", STATUS)).doesNotThrowAnyException();

    // paused past the renew deadline: it still believes it leads, but may not write
    now.set(Duration.ofSeconds(3).toNanos());
    assertThat(leadership.isLeading()).isTrue();
    assertThatThrownBy(() -> send("DELETE", STATUS))
        .isInstanceOf(LeaseWriteFence.NotLeaderException.class);

    renewLease(Duration.ofSeconds(4).toNanos(), 200);
    assertThatCode(() -> send("POST", STATUS)).doesNotThrowAnyException();
  }

  @Test
  void aFailedRenewalDoesNotExtendTheRightToWrite() {
    renewLease(0, 200);
    leadership.callbacks().onStartLeading();
    renewLease(Duration.ofSeconds(2).toNanos(), 409);
    now.set(Duration.ofSeconds(3).toNanos());
    assertThatThrownBy(() -> send("PUT", STATUS))
        .isInstanceOf(LeaseWriteFence.NotLeaderException.class);
  }

  @Test
  void losingTheLeaseStopsWritesAtOnceAndExits() throws InterruptedException {
    renewLease(0, 200);
    leadership.callbacks().onStartLeading();
    leadership.callbacks().onStopLeading();

    assertThatThrownBy(() -> send("PATCH", STATUS))
        .isInstanceOf(LeaseWriteFence.NotLeaderException.class);
    assertThat(exited.await(5, TimeUnit.SECONDS)).as("the lost-leadership action ran").isTrue();
  }

  @Test
  void stoppingForShutdownDoesNotExit() throws InterruptedException {
    renewLease(0, 200);
    leadership.callbacks().onStartLeading();
    leadership.beginShutdown();
    leadership.callbacks().onStopLeading();

    assertThat(exited.await(200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(leadership.isLeading()).isFalse();
  }

  @Test
  void onceShutdownBeginsNothingIsWrittenNotEvenTheLease() {
    renewLease(0, 200);
    leadership.callbacks().onStartLeading();
    send("PATCH", STATUS);

    leadership.beginShutdown();

    assertThatThrownBy(() -> send("PATCH", STATUS))
        .isInstanceOf(LeaseWriteFence.NotLeaderException.class);
    assertThatThrownBy(() -> send("PUT", LEASE))
        .isInstanceOf(LeaseWriteFence.NotLeaderException.class);
    send("GET", LEASE);
  }

  @Test
  void theObservedLeaderIsReported() {
    leadership.callbacks().onNewLeader("operator-1");
    assertThat(leadership.leader()).isEqualTo("operator-1");
    leadership.callbacks().onNewLeader("");
    assertThat(leadership.leader()).isNull();
  }

  private record Response(int code) implements HttpResponse<Void> {
    @Override
    public Void body() {
      return null;
    }

    @Override
    public HttpRequest request() {
      return null;
    }

    @Override
    public Optional<HttpResponse<?>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public List<String> headers(String key) {
      return List.of();
    }

    @Override
    public Map<String, List<String>> headers() {
      return Map.of();
    }
  }
}
