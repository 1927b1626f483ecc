package dev.leaderdemo.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.ManualClock;
import dev.leaderdemo.apiserver.ApiException;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

  enum Reason implements EventReason {
    Elected(Type.Normal),
    Failed(Type.Warning);

    private final Type type;

    Reason(Type type) {
      this.type = type;
    }

    @Override
    public Type type() {
      return type;
    }
  }

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456789Z");
  private static final ObjectReference DEMO =
      new ObjectReferenceBuilder()
          .withApiVersion("leaderdemo.dev/v1alpha1")
          .withKind("LeaderDemo")
          .withNamespace("ns")
          .withName("demo")
          .withUid("u-1")
          .build();

  private final RecordingEventSink sink = new RecordingEventSink();
  private final ManualClock clock = new ManualClock(T0);
  private EventRecorder recorder;

  @BeforeEach
  void recorder() {
    recorder = new EventRecorder(sink, clock, "leaderdemo-operator", "operator-0");
  }

  @Test
  void aFirstEventIsCreatedAsKubectlDescribeShowsIt() {
    recorder.record(DEMO, Reason.Failed, "Role demo was refused");

    Event event = sink.events().get(0);
    assertThat(event.getMetadata().getName()).isEqualTo("demo." + Long.toHexString(nanos(T0)));
    assertThat(event.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(event.getInvolvedObject()).isEqualTo(DEMO);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getReason()).isEqualTo("Failed");
    assertThat(event.getMessage()).isEqualTo("Role demo was refused");
    assertThat(event.getCount()).isEqualTo(1);
    assertThat(event.getFirstTimestamp()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(event.getLastTimestamp()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(event.getSource().getComponent()).isEqualTo("leaderdemo-operator");
    assertThat(event.getReportingComponent()).isEqualTo("leaderdemo-operator");
    assertThat(event.getReportingInstance()).isEqualTo("operator-0");
  }

  @Test
  void aRepeatRaisesTheCountOfTheSameEvent() {
    recorder.record(DEMO, Reason.Failed, "Role demo was refused");
    clock.set(T0.plusSeconds(3));
    recorder.record(DEMO, Reason.Failed, "Role demo was refused");
    clock.set(T0.plusSeconds(9));
    recorder.record(DEMO, Reason.Failed, "Role demo was refused");

    assertThat(sink.events()).singleElement();
    Event event = sink.events().get(0);
    assertThat(event.getCount()).isEqualTo(3);
    assertThat(event.getFirstTimestamp()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(event.getLastTimestamp()).isEqualTo("2026-12-01T10:00:09Z");
    String name = event.getMetadata().getName();
    assertThat(sink.requests()).containsExactly("create " + name, "patch " + name, "patch " + name);
  }

  @Test
  void anotherMessageReasonOrObjectIsAnotherEvent() {
    recorder.record(DEMO, Reason.Elected, "pod-a is now the leader");
    recorder.record(DEMO, Reason.Elected, "pod-b is now the leader (was pod-a)");
    recorder.record(DEMO, Reason.Failed, "pod-b is now the leader (was pod-a)");
    recorder.record(
        new ObjectReferenceBuilder(DEMO).withName("other").withUid("u-2").build(),
        Reason.Elected,
        "pod-a is now the leader");

    assertThat(sink.events()).hasSize(4).allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    assertThat(sink.events()).extracting(e -> e.getMetadata().getName()).doesNotHaveDuplicates();
  }

  @Test
  void anEventThatExpiredIsCreatedAgainWithItsCount() {
    recorder.record(DEMO, Reason.Failed, "refused");
    String name = sink.events().get(0).getMetadata().getName();
    sink.expire(name);

    recorder.record(DEMO, Reason.Failed, "refused");

    assertThat(sink.events()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(2));
    assertThat(sink.requests())
        .containsExactly("create " + name, "patch " + name, "create " + name);
  }

  @Test
  void aRefusedRequestIsLoggedNotThrown() {
    sink.refuseWith(
        new ApiException(403, "User \"x\" cannot create resource \"events\" in API group \"\""));

    recorder.record(DEMO, Reason.Failed, "refused");

    assertThat(sink.events()).isEmpty();
  }

  @Test
  void aRefusedFirstEventIsCreatedNextTime() {
    sink.refuseWith(new ApiException(500, "etcdserver: request timed out"));
    recorder.record(DEMO, Reason.Failed, "refused");
    sink.refuseWith(null);

    recorder.record(DEMO, Reason.Failed, "refused");

    assertThat(sink.events()).singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  @Test
  void recordsForDifferentObjectsDoNotWaitForEachOther() throws Exception {
    CountDownLatch bothInside = new CountDownLatch(2);
    EventSink slow =
        new EventSink() {
          @Override
          public void create(Event event) {
            bothInside.countDown();
            try {
              // a request that answers only once the other record is under way too
              if (!bothInside.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other record never started its request");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            sink.create(event);
          }

          @Override
          public void updateCount(String namespace, String name, int count, String timestamp) {
            sink.updateCount(namespace, name, count, timestamp);
          }
        };
    EventRecorder shared = new EventRecorder(slow, clock, "leaderdemo-operator", "operator-0");
    ObjectReference other =
        new ObjectReferenceBuilder(DEMO).withName("other").withUid("u-2").build();
    Thread first = new Thread(() -> shared.record(DEMO, Reason.Elected, "a leads"));
    first.start();
    shared.record(other, Reason.Elected, "b leads");
    first.join(10_000);

    assertThat(sink.events()).hasSize(2);
  }

  @Test
  void aLongNameStillLeavesRoomForTheSuffix() {
    String longName = "l".repeat(250);
    recorder.record(
        new ObjectReferenceBuilder(DEMO).withKind("Lease").withName(longName).build(),
        Reason.Elected,
        "pod-a became leader");

    assertThat(sink.events().get(0).getMetadata().getName())
        .hasSize(253)
        .matches("l+\\.[0-9a-f]{16}");
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
