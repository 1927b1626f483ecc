package dev.leaderdemo.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.apiserver.Json;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Duration;

/** Where recorded Events go: the API server, or a list in a unit test. */
public interface EventSink {

  /**
   * @throws dev.leaderdemo.apiserver.ApiException when the API server refuses it
   */
  void create(Event event);

  /**
   * Raises the count of an Event created before.
   *
   * @throws dev.leaderdemo.apiserver.ApiException with code 404 when the Event is gone (Events
   *     expire, an hour by default)
   */
  void updateCount(String namespace, String name, int count, String lastTimestamp);

  /** A request that takes longer is not worth holding the caller for: the Event is a record. */
  Duration TIMEOUT = Duration.ofSeconds(5);

  /** Creates and patches through the API server: the `create` and `patch` verbs on events. */
  static EventSink of(ApiServer api) {
    return new EventSink() {
      @Override
      public void create(Event event) {
        api.create(events(event.getMetadata().getNamespace()), json(event), TIMEOUT);
      }

      @Override
      public void updateCount(String namespace, String name, int count, String lastTimestamp) {
        // a patch by name needs no read, so no get verb
        api.patch(
            events(namespace) + "/" + name,
            ApiServer.MERGE_PATCH,
            "{\"count\":" + count + ",\"lastTimestamp\":\"" + lastTimestamp + "\"}",
            TIMEOUT);
      }

      private static String events(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/events";
      }
    };
  }

  /**
   * The fields of a core/v1 Event that {@link EventRecorder} sets, as the API server reads them.
   */
  static ObjectNode json(Event event) {
    ObjectNode json = Json.object();
    json.put("apiVersion", "v1");
    json.put("kind", "Event");
    json.set("metadata", Json.metadata(event.getMetadata()));
    ObjectReference involved = event.getInvolvedObject();
    ObjectNode object = json.putObject("involvedObject");
    Json.putIfSet(object, "apiVersion", involved.getApiVersion());
    Json.putIfSet(object, "kind", involved.getKind());
    Json.putIfSet(object, "namespace", involved.getNamespace());
    Json.putIfSet(object, "name", involved.getName());
    Json.putIfSet(object, "uid", involved.getUid());
    Json.putIfSet(object, "resourceVersion", involved.getResourceVersion());
    Json.putIfSet(object, "fieldPath", involved.getFieldPath());
    Json.putIfSet(json, "type", event.getType());
    Json.putIfSet(json, "reason", event.getReason());
    Json.putIfSet(json, "message", event.getMessage());
    Json.putIfSet(json, "firstTimestamp", event.getFirstTimestamp());
    Json.putIfSet(json, "lastTimestamp", event.getLastTimestamp());
    if (event.getCount() != null) {
      json.put("count", event.getCount());
    }
    if (event.getSource() != null) {
      ObjectNode source = json.putObject("source");
      Json.putIfSet(source, "component", event.getSource().getComponent());
      Json.putIfSet(source, "host", event.getSource().getHost());
    }
    Json.putIfSet(json, "reportingComponent", event.getReportingComponent());
    Json.putIfSet(json, "reportingInstance", event.getReportingInstance());
    return json;
  }
}
