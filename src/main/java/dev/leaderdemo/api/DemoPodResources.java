package dev.leaderdemo.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Objects;

/**
 * Requests and limits of a demo pod: cpu, memory and ephemeral-storage only. Kubernetes' own
 * ResourceRequirements takes any resource name and any quantity and leaves the refusal to pod
 * creation; this type lets admission refuse them, with rules cheap enough for the API server's CEL
 * budget.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value = "!has(self.requests) || !has(self.limits) || (" + DemoPodResources.WITHIN_LIMITS + ")",
    message =
        "each of resources.requests must be less than or equal to the same resource in"
            + " resources.limits")
public class DemoPodResources {

  static final String WITHIN_LIMITS =
      "(!has(self.requests.cpu) || !has(self.limits.cpu) || !isQuantity(string(self.requests.cpu))"
          + " || !isQuantity(string(self.limits.cpu)) ||"
          + " quantity(string(self.requests.cpu)).compareTo(quantity(string(self.limits.cpu))) <="
          + " 0) && (!has(self.requests.memory) || !has(self.limits.memory) ||"
          + " !isQuantity(string(self.requests.memory)) || !isQuantity(string(self.limits.memory))"
          + " || quantity(string(self.requests.memory)).compareTo(quantity(string(self.limits.memory)))"
          + " <= 0) && (!has(self.requests.ephemeral__dash__storage) ||"
          + " !has(self.limits.ephemeral__dash__storage) ||"
          + " !isQuantity(string(self.requests.ephemeral__dash__storage)) ||"
          + " !isQuantity(string(self.limits.ephemeral__dash__storage)) ||"
          + " quantity(string(self.requests.ephemeral__dash__storage)).compareTo(quantity(string(self.limits.ephemeral__dash__storage)))"
          + " <= 0)";

  @JsonPropertyDescription("What the scheduler reserves for each demo pod.")
  private ResourceAmounts requests;

  @JsonPropertyDescription("What each demo pod may use at most.")
  private ResourceAmounts limits;

  public ResourceAmounts getRequests() {
    return requests;
  }

  public void setRequests(ResourceAmounts requests) {
    this.requests = requests;
  }

  public ResourceAmounts getLimits() {
    return limits;
  }

  public void setLimits(ResourceAmounts limits) {
    this.limits = limits;
  }

  /** As the pod's container takes them; null amounts are left out. */
  public ResourceRequirements toRequirements() {
    return new ResourceRequirementsBuilder()
        .withRequests(requests == null ? null : requests.toMap())
        .withLimits(limits == null ? null : limits.toMap())
        .build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DemoPodResources that
        && Objects.equals(requests, that.requests)
        && Objects.equals(limits, that.limits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requests, limits);
  }
}
