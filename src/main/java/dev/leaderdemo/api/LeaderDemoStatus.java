package dev.leaderdemo.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

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

  @JsonPropertyDescription(
      "The last changes of leader the operator saw, newest first, at most "
          + LeaderDemoStatus.FAILOVERS_KEPT
          + ".")
  private List<Failover> failovers;

  /** How many failovers the status keeps. */
  public static final int FAILOVERS_KEPT = 5;

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

  public List<Failover> getFailovers() {
    return failovers;
  }

  public void setFailovers(List<Failover> failovers) {
    this.failovers = failovers;
  }

  /**
   * Equal when they would be written the same: equality, hash and text all come from the JSON the
   * API server would store, so a field added to this class takes part without further code.
   */
  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && json().equals(((LeaderDemoStatus) o).json());
  }

  @Override
  public int hashCode() {
    return json().hashCode();
  }

  @Override
  public String toString() {
    return json().toString();
  }

  /** A deep copy, every field included. */
  public LeaderDemoStatus copy() {
    return Serialization.jsonMapper().convertValue(this, getClass());
  }

  private JsonNode json() {
    return Serialization.jsonMapper().valueToTree(this);
  }
}
