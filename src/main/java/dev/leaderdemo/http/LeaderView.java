package dev.leaderdemo.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * What {@code /leader} answers, the same for a demo pod and an operator replica: who this is, the
 * leader it last observed (null when none is known) and whether it leads.
 */
@JsonPropertyOrder({"identity", "leader", "isLeader"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LeaderView(
    @JsonProperty("identity") String identity,
    @JsonProperty("leader") String leader,
    @JsonProperty("isLeader") boolean isLeader) {

  public ProbeServer.Response response() {
    return ProbeServer.Response.json(Serialization.asJson(this));
  }
}
