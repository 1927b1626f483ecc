package dev.leaderdemo.api;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A spec that passed the API server but does not fit {@link LeaderDemoSpec}, for example through an
 * older or laxer copy of the CRD. It keeps the object readable, so that one bad LeaderDemo cannot
 * stop the operator's informer, and it writes back exactly what was read.
 */
final class UnreadableSpec extends LeaderDemoSpec {

  private final JsonNode raw;
  private final String problem;

  UnreadableSpec(JsonNode raw, String problem) {
    this.raw = raw;
    this.problem = problem;
  }

  /** What is wrong, naming the field: {@code spec.replicas: "three" is not an integer}. */
  String problem() {
    return problem;
  }

  @JsonValue
  JsonNode raw() {
    return raw;
  }
}
