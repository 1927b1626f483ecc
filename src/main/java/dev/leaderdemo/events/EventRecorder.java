package dev.leaderdemo.events;

import dev.leaderdemo.apiserver.ApiException;
import dev.leaderdemo.contract.KubernetesTime;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events as client-go's recorder does. An Event the same as one this process
 * recorded before (same object, type, reason and message) raises that Event's count and last
 * timestamp, so `kubectl describe` shows "x5 over 3m" instead of five rows; anything else is a new
 * Event named after its object and the time. The memory of recorded Events is bounded (least
 * recently used go first); an Event that expired in the API server is created again with its count.
 *
 * <p>Recording never fails the caller: a refused or failed request is logged with the API server's
 * words and dropped.
 */
public class EventRecorder {

  /** As many as client-go's correlator remembers. */
  static final int REMEMBERED = 4096;

  /** A Lease's name may use all 253 characters of an object name; the suffix must still fit. */
  private static final int MAX_NAME = 253;

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  private record Key(
      String kind,
      String namespace,
      String name,
      String uid,
      String type,
      String reason,
      String message) {}

  private record Recorded(String name, int count, String firstTimestamp) {}

  private final EventSink sink;
  private final Clock clock;
  private final String component;
  private final String instance;
  private final Map<Key, Recorded> recorded =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Recorded> eldest) {
          return size() > REMEMBERED;
        }
      };
  private long lastNameNanos;

  /**
   * @param component the reporting component, as `kubectl get events` shows it in FROM / SOURCE
   * @param instance this process's identity (its pod name)
   */
  public EventRecorder(EventSink sink, Clock clock, String component, String instance) {
    this.sink = sink;
    this.clock = clock;
    this.component = component;
    this.instance = instance;
  }

  public void record(HasMetadata involved, EventReason reason, String message) {
    record(
        new ObjectReferenceBuilder()
            .withApiVersion(involved.getApiVersion())
            .withKind(involved.getKind())
            .withNamespace(involved.getMetadata().getNamespace())
            .withName(involved.getMetadata().getName())
            .withUid(involved.getMetadata().getUid())
            .build(),
        reason,
        message);
  }

  /**
   * Only the memory of recorded Events is under the lock; the request is made outside it, so that
   * the reconciles of different LeaderDemos record at the same time instead of one after another
   * (at 1000 LeaderDemos created at once, one request at a time was what bounded the operator).
   */
  public void record(ObjectReference involved, EventReason reason, String message) {
    Instant now = clock.instant();
    String timestamp = KubernetesTime.format(now);
    Key key =
        new Key(
            involved.getKind(),
            involved.getNamespace(),
            involved.getName(),
            involved.getUid(),
            reason.type().name(),
            reason.name(),
            message);
    Recorded before;
    Recorded current;
    synchronized (this) {
      before = recorded.get(key);
      current =
          before == null
              ? new Recorded(name(involved, now), 1, timestamp)
              : new Recorded(before.name(), before.count() + 1, before.firstTimestamp());
      recorded.put(key, current);
    }
    try {
      if (before != null) {
        try {
          sink.updateCount(involved.getNamespace(), current.name(), current.count(), timestamp);
        } catch (ApiException e) {
          if (e.code() != HttpURLConnection.HTTP_NOT_FOUND) {
            throw e;
          }
          sink.create(event(involved, reason, message, current, timestamp));
        }
      } else {
        sink.create(event(involved, reason, message, current, timestamp));
      }
    } catch (ApiException | IllegalArgumentException | IllegalStateException e) {
      // as if it had not been recorded: the next one creates the Event, or raises the old count
      synchronized (this) {
        if (before == null) {
          recorded.remove(key, current);
        } else {
          recorded.replace(key, current, before);
        }
      }
      log.warn(
          "Could not record event {} on {} {}/{}: {}",
          reason.name(),
          involved.getKind(),
          involved.getNamespace(),
          involved.getName(),
          e.getMessage());
    }
  }

  private Event event(
      ObjectReference involved,
      EventReason reason,
      String message,
      Recorded recorded,
      String lastTimestamp) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(recorded.name())
        .withNamespace(involved.getNamespace())
        .endMetadata()
        .withInvolvedObject(involved)
        .withType(reason.type().name())
        .withReason(reason.name())
        .withMessage(message)
        .withFirstTimestamp(recorded.firstTimestamp())
        .withLastTimestamp(lastTimestamp)
        .withCount(recorded.count())
        .withNewSource()
        .withComponent(component)
        .endSource()
        .withReportingComponent(component)
        .withReportingInstance(instance)
        .build();
  }

  /** client-go's scheme: the object's name and the time in hexadecimal nanoseconds, unique here. */
  private String name(ObjectReference involved, Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastNameNanos = Math.max(nanos, lastNameNanos + 1);
    String suffix = "." + Long.toHexString(lastNameNanos);
    String prefix = involved.getName();
    if (prefix.length() + suffix.length() > MAX_NAME) {
      prefix = prefix.substring(0, MAX_NAME - suffix.length()).replaceAll("[.-]+$", "");
    }
    return prefix + suffix;
  }
}
