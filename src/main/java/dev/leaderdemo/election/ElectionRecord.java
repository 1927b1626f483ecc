package dev.leaderdemo.election;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leaderdemo.contract.KubernetesTime;
import java.time.Duration;
import java.time.ZonedDateTime;

/**
 * The part of a Lease that leader election reads and writes, with client-go's meaning: the holder
 * ("" when released), how long its claim lasts, when it was acquired (set on each change of
 * holder), when it was last renewed, and how many times the holder changed.
 */
public record ElectionRecord(
    String holderIdentity,
    int leaseDurationSeconds,
    ZonedDateTime acquireTime,
    ZonedDateTime renewTime,
    int leaseTransitions) {

  public ElectionRecord {
    holderIdentity = holderIdentity == null ? "" : holderIdentity;
  }

  /** The record in a Lease's spec as the API server sends it (missing fields: empty, 0). */
  public static ElectionRecord of(JsonNode spec) {
    if (spec == null || !spec.isObject()) {
      return new ElectionRecord("", 0, null, null, 0);
    }
    return new ElectionRecord(
        spec.path("holderIdentity").asText(""),
        spec.path("leaseDurationSeconds").asInt(0),
        time(spec.get("acquireTime")),
        time(spec.get("renewTime")),
        spec.path("leaseTransitions").asInt(0));
  }

  private static ZonedDateTime time(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    return KubernetesTime.parse(value.asText());
  }

  /** The record of a Lease that did not exist yet, as client-go creates it. */
  public static ElectionRecord first(String identity, Duration leaseDuration, ZonedDateTime now) {
    return new ElectionRecord(identity, (int) leaseDuration.toSeconds(), now, now, 0);
  }

  public boolean held() {
    return !holderIdentity.isEmpty();
  }

  public boolean heldBy(String identity) {
    return holderIdentity.equals(identity);
  }

  /**
   * This record once {@code identity} has acquired or renewed it: a renewal keeps acquireTime and
   * the transitions, a change of holder (from a released Lease too) sets acquireTime and counts one
   * transition more.
   */
  public ElectionRecord claimedBy(String identity, Duration leaseDuration, ZonedDateTime now) {
    int seconds = (int) leaseDuration.toSeconds();
    if (heldBy(identity)) {
      return new ElectionRecord(
          identity, seconds, acquireTime == null ? now : acquireTime, now, leaseTransitions);
    }
    return new ElectionRecord(identity, seconds, now, now, leaseTransitions + 1);
  }

  /**
   * {@code spec} with this record written into it; fields of the spec that election does not own (a
   * newer API's preferredHolder, strategy) stay as they were.
   */
  public ObjectNode toSpec(JsonNode spec) {
    ObjectNode written =
        spec != null && spec.isObject()
            ? ((ObjectNode) spec).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    written.put("holderIdentity", holderIdentity);
    written.put("leaseDurationSeconds", leaseDurationSeconds);
    putTime(written, "acquireTime", acquireTime);
    putTime(written, "renewTime", renewTime);
    written.put("leaseTransitions", leaseTransitions);
    return written;
  }

  private static void putTime(ObjectNode spec, String field, ZonedDateTime time) {
    if (time == null) {
      spec.remove(field);
    } else {
      spec.put(field, KubernetesTime.micro(time.toInstant()));
    }
  }
}
