package dev.leaderdemo.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One change of the demo's leader, as the operator saw it happen. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Failover {

  @JsonPropertyDescription("The pod that leads since this change.")
  private String leader;

  @JsonPropertyDescription("The pod that led before it.")
  private String previousLeader;

  @JsonPropertyDescription(
      "When the operator saw the new leader in the Lease (RFC 3339, microseconds).")
  private String observedAt;

  @JsonPropertyDescription(
      "How long the demo had no leader: from the release the operator saw, or the instant the"
          + " previous leader's lease expired, to the new leader (as 31ms or 15.2s).")
  private String leaderlessFor;

  @JsonPropertyDescription(
      "Released (the previous leader gave the Lease up), Expired (it stopped renewing and the"
          + " lease ran out) or TakenOver (another pod took the Lease before it expired).")
  private String cause;

  public Failover() {}

  public Failover(
      String leader, String previousLeader, String observedAt, String leaderlessFor, String cause) {
    this.leader = leader;
    this.previousLeader = previousLeader;
    this.observedAt = observedAt;
    this.leaderlessFor = leaderlessFor;
    this.cause = cause;
  }

  public String getLeader() {
    return leader;
  }

  public void setLeader(String leader) {
    this.leader = leader;
  }

  public String getPreviousLeader() {
    return previousLeader;
  }

  public void setPreviousLeader(String previousLeader) {
    this.previousLeader = previousLeader;
  }

  public String getObservedAt() {
    return observedAt;
  }

  public void setObservedAt(String observedAt) {
    this.observedAt = observedAt;
  }

  public String getLeaderlessFor() {
    return leaderlessFor;
  }

  public void setLeaderlessFor(String leaderlessFor) {
    this.leaderlessFor = leaderlessFor;
  }

  public String getCause() {
    return cause;
  }

  public void setCause(String cause) {
    this.cause = cause;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Failover f
        && Objects.equals(leader, f.leader)
        && Objects.equals(previousLeader, f.previousLeader)
        && Objects.equals(observedAt, f.observedAt)
        && Objects.equals(leaderlessFor, f.leaderlessFor)
        && Objects.equals(cause, f.cause);
  }

  @Override
  public int hashCode() {
    return Objects.hash(leader, previousLeader, observedAt, leaderlessFor, cause);
  }

  @Override
  public String toString() {
    return previousLeader + " -> " + leader + " at " + observedAt + " after " + leaderlessFor;
  }
}
