package dev.leaderdemo.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** Where recorded Events go: the API server, or a list in a unit test. */
public interface EventSink {

  void create(Event event);

  /**
   * Raises the count of an Event created before.
   *
   * @throws KubernetesClientException with code 404 when the Event is gone (Events expire, an hour
   *     by default)
   */
  void updateCount(String namespace, String name, int count, String lastTimestamp);

  /** Creates and patches through the client: the `create` and `patch` verbs on events. */
  static EventSink of(KubernetesClient client) {
    return new EventSink() {
      @Override
      public void create(Event event) {
        client
            .v1()
            .events()
            .inNamespace(event.getMetadata().getNamespace())
            .resource(event)
            .create();
      }

      @Override
      public void updateCount(String namespace, String name, int count, String lastTimestamp) {
        // through a resource, not withName: withName(..).patch(..) first GETs the Event, which
        // would need the get verb
        Event named =
            new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .build();
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .resource(named)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"count\":" + count + ",\"lastTimestamp\":\"" + lastTimestamp + "\"}");
      }
    };
  }
}
