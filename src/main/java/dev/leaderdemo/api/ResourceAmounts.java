package dev.leaderdemo.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Amounts of the resources a demo pod may ask for, each a non-negative Kubernetes quantity. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ResourceAmounts {

  static final String NON_NEGATIVE_QUANTITY =
      "isQuantity(string(self)) && quantity(string(self)).compareTo(quantity('0')) >= 0";
  static final String NON_NEGATIVE_QUANTITY_MESSAGE =
      "must be a non-negative quantity such as 100m, 128Mi or 1";

  @JsonPropertyDescription("CPU, in cores: 1, 0.5 or 500m.")
  @ValidationRule(value = NON_NEGATIVE_QUANTITY, message = NON_NEGATIVE_QUANTITY_MESSAGE)
  private Quantity cpu;

  @JsonPropertyDescription("Memory, in bytes: 128Mi, 1Gi.")
  @ValidationRule(value = NON_NEGATIVE_QUANTITY, message = NON_NEGATIVE_QUANTITY_MESSAGE)
  private Quantity memory;

  @JsonProperty("ephemeral-storage")
  @JsonPropertyDescription("Local ephemeral storage, in bytes: 1Gi.")
  @ValidationRule(value = NON_NEGATIVE_QUANTITY, message = NON_NEGATIVE_QUANTITY_MESSAGE)
  private Quantity ephemeralStorage;

  public Quantity getCpu() {
    return cpu;
  }

  public void setCpu(Quantity cpu) {
    this.cpu = cpu;
  }

  public Quantity getMemory() {
    return memory;
  }

  public void setMemory(Quantity memory) {
    this.memory = memory;
  }

  @JsonProperty("ephemeral-storage")
  public Quantity getEphemeralStorage() {
    return ephemeralStorage;
  }

  @JsonProperty("ephemeral-storage")
  public void setEphemeralStorage(Quantity ephemeralStorage) {
    this.ephemeralStorage = ephemeralStorage;
  }

  Map<String, Quantity> toMap() {
    Map<String, Quantity> amounts = new LinkedHashMap<>();
    if (cpu != null) {
      amounts.put("cpu", cpu);
    }
    if (memory != null) {
      amounts.put("memory", memory);
    }
    if (ephemeralStorage != null) {
      amounts.put("ephemeral-storage", ephemeralStorage);
    }
    return amounts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceAmounts that
        && Objects.equals(cpu, that.cpu)
        && Objects.equals(memory, that.memory)
        && Objects.equals(ephemeralStorage, that.ephemeralStorage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cpu, memory, ephemeralStorage);
  }
}
