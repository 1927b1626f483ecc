package dev.leaderdemo.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leaderdemo.contract.KubernetesTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Lease from the watch's JSON with only what the reconciler reads: name, namespace, uid, labels,
 * resourceVersion and the spec. A time that does not parse counts as absent, as an unset one.
 */
final class WatchedLeases {

  private WatchedLeases() {}

  /** Built with setters: fabric8's builders cost more than the parse, 500 times a second. */
  static Lease lease(JsonNode json) {
    JsonNode meta = json.path("metadata");
    JsonNode spec = json.path("spec");
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(text(meta, "name"));
    metadata.setNamespace(text(meta, "namespace"));
    metadata.setUid(text(meta, "uid"));
    metadata.setResourceVersion(text(meta, "resourceVersion"));
    if (meta.path("labels").size() > 0) {
      Map<String, String> labels = new LinkedHashMap<>();
      meta.path("labels")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      metadata.setLabels(labels);
    }
    Lease lease = new Lease();
    lease.setMetadata(metadata);
    LeaseSpec leaseSpec = new LeaseSpec();
    leaseSpec.setHolderIdentity(text(spec, "holderIdentity"));
    leaseSpec.setLeaseDurationSeconds(number(spec, "leaseDurationSeconds"));
    leaseSpec.setAcquireTime(time(spec, "acquireTime"));
    leaseSpec.setRenewTime(time(spec, "renewTime"));
    leaseSpec.setLeaseTransitions(number(spec, "leaseTransitions"));
    lease.setSpec(leaseSpec);
    return lease;
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Integer number(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || !value.isNumber() ? null : value.intValue();
  }

  private static ZonedDateTime time(JsonNode json, String field) {
    String value = text(json, field);
    return value == null ? null : KubernetesTime.parse(value);
  }
}
