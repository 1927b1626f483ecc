package dev.leaderdemo.events;

import dev.leaderdemo.apiserver.ApiException;
import io.fabric8.kubernetes.api.model.Event;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps Events as the API server would: created ones by name, their counts raised in place, a count
 * raised on a missing Event refused with 404.
 */
public final class RecordingEventSink implements EventSink {

  private final Map<String, Event> stored = new LinkedHashMap<>();
  private final List<String> requests = new ArrayList<>();
  private ApiException refusal;

  /** From now on every request is refused with this. */
  public void refuseWith(ApiException refusal) {
    this.refusal = refusal;
  }

  /** Events as `kubectl get events` would list them. */
  public synchronized List<Event> events() {
    return List.copyOf(stored.values());
  }

  /** "create NAME" and "patch NAME" in the order they came. */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  public void expire(String name) {
    stored.remove(name);
  }

  @Override
  public synchronized void create(Event event) {
    requests.add("create " + event.getMetadata().getName());
    if (refusal != null) {
      throw refusal;
    }
    if (stored.containsKey(event.getMetadata().getName())) {
      throw new ApiException(HttpURLConnection.HTTP_CONFLICT, "already exists");
    }
    stored.put(event.getMetadata().getName(), event);
  }

  @Override
  public synchronized void updateCount(
      String namespace, String name, int count, String lastTimestamp) {
    requests.add("patch " + name);
    if (refusal != null) {
      throw refusal;
    }
    Event event = stored.get(name);
    if (event == null) {
      throw new ApiException(HttpURLConnection.HTTP_NOT_FOUND, "not found");
    }
    event.setCount(count);
    event.setLastTimestamp(lastTimestamp);
  }
}
