package dev.leaderdemo.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Who leads the demo now, and who leads the operator. Written only by the operator's leader. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class LeaderDemoStatus {

  @PrinterColumn(name = "LEADER")
  @JsonPropertyDescription(
      "Holder of the demo Lease; empty when nobody holds it or the lease has expired.")
  private String leader;

  @PrinterColumn(name = "SINCE")
  @JsonPropertyDescription("When the current leader acquired the lease (the Lease's acquireTime).")
  private String leaderSince;

  @PrinterColumn(name = "TRANSITIONS")
  @JsonPropertyDescription(
      "How many times the lease has changed holder (the Lease's leaseTransitions).")
  private Integer leaseTransitions;

  @JsonPropertyDescription(
      "The Lease's renewTime when this status was last written. Renewals alone do not "
          + "rewrite the status, so this is not the latest renewal.")
  private String lastRenewTime;

  @JsonPropertyDescription("Replicas of the demo Deployment.")
  private Integer replicas;

  @PrinterColumn(name = "READY")
  @JsonPropertyDescription("Ready replicas of the demo Deployment.")
  private Integer readyReplicas;

  @PrinterColumn(name = "OPERATOR")
  @JsonPropertyDescription(
      "Identity of the operator replica that holds the operator's lease and wrote this status.")
  private String operatorLeader;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready and LeaderElected.")
  private List<Condition> conditions = new ArrayList<>();

  public String getLeader() {
    return leader;
  }

  public void setLeader(String leader) {
    this.leader = leader;
  }

  public String getLeaderSince() {
    return leaderSince;
  }

  public void setLeaderSince(String leaderSince) {
    this.leaderSince = leaderSince;
  }

  public Integer getLeaseTransitions() {
    return leaseTransitions;
  }

  public void setLeaseTransitions(Integer leaseTransitions) {
    this.leaseTransitions = leaseTransitions;
  }

  public String getLastRenewTime() {
    return lastRenewTime;
  }

  public void setLastRenewTime(String lastRenewTime) {
    this.lastRenewTime = lastRenewTime;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getOperatorLeader() {
    return operatorLeader;
  }

  public void setOperatorLeader(String operatorLeader) {
    this.operatorLeader = operatorLeader;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LeaderDemoStatus)) {
      return false;
    }
    LeaderDemoStatus that = (LeaderDemoStatus) o;
    return Objects.equals(leader, that.leader)
        && Objects.equals(leaderSince, that.leaderSince)
        && Objects.equals(leaseTransitions, that.leaseTransitions)
        && Objects.equals(lastRenewTime, that.lastRenewTime)
        && Objects.equals(replicas, that.replicas)
        && Objects.equals(readyReplicas, that.readyReplicas)
        && Objects.equals(operatorLeader, that.operatorLeader)
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        leader,
        leaderSince,
        leaseTransitions,
        lastRenewTime,
        replicas,
        readyReplicas,
        operatorLeader,
        observedGeneration,
        conditions);
  }

  @Override
  public String toString() {
    return "LeaderDemoStatus{leader="
        + leader
        + ", leaderSince="
        + leaderSince
        + ", leaseTransitions="
        + leaseTransitions
        + ", lastRenewTime="
        + lastRenewTime
        + ", replicas="
        + replicas
        + ", readyReplicas="
        + readyReplicas
        + ", operatorLeader="
        + operatorLeader
        + ", observedGeneration="
        + observedGeneration
        + ", conditions="
        + conditions
        + "}";
  }
}
