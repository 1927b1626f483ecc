package dev.leaderdemo.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.leaderdemo.contract.ElectionDefaults;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What the demo should look like. The timing rules are the ones fabric8's LeaderElector enforces,
 * checked at admission so that a bad spec is refused before anything is created.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(
    value =
        "self.leaseDurationSeconds > self.renewDeadlineSeconds"
            + " && self.renewDeadlineSeconds * 10 > self.retryPeriodSeconds * 12",
    messageExpression =
        "self.leaseDurationSeconds <= self.renewDeadlineSeconds"
            + " ? 'leaseDurationSeconds must be greater than renewDeadlineSeconds'"
            + " : 'renewDeadlineSeconds must be greater than 1.2 x retryPeriodSeconds'",
    message =
        "leaseDurationSeconds must be greater than renewDeadlineSeconds, "
            + "and renewDeadlineSeconds greater than 1.2 x retryPeriodSeconds")
public class LeaderDemoSpec {

  public static final int DEFAULT_REPLICAS = 3;

  /** Each demo pod is a JVM of about 128 MiB; more candidates show nothing that 50 do not. */
  public static final int MAX_REPLICAS = 50;

  /**
   * A crashed leader blocks takeover for a lease duration: five minutes is already far past any
   * real use.
   */
  public static final int MAX_SECONDS = 300;

  /**
   * An image reference: no spaces, starting with a letter or digit, as a container runtime accepts
   * it.
   */
  public static final String IMAGE_REFERENCE = "^[A-Za-z0-9][A-Za-z0-9._/:@-]*$";

  /** RFC 1123 subdomain, as Kubernetes requires of a Lease name. */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  @JsonPropertyDescription(
      "Number of demo pods that compete for the lease, 1 to " + MAX_REPLICAS + ".")
  @Min(1)
  @Max(MAX_REPLICAS)
  @Default("" + DEFAULT_REPLICAS)
  private Integer replicas = DEFAULT_REPLICAS;

  @JsonPropertyDescription(
      "Image of the demo app. Defaults to the demo image the operator is configured with.")
  @ValidationRule(
      value = "self.matches('" + IMAGE_REFERENCE + "')",
      message =
          "image must be an image reference such as registry.example/leaderdemo:1.0: not empty, no"
              + " spaces")
  private String image;

  @JsonPropertyDescription("Image pull policy of the demo pods: Always, IfNotPresent or Never.")
  @ValidationRule(
      value = "self in ['Always', 'IfNotPresent', 'Never']",
      message = "imagePullPolicy must be one of Always, IfNotPresent, Never")
  private String imagePullPolicy;

  @JsonPropertyDescription(
      "Name of the Lease the demo pods compete for. Defaults to the LeaderDemo's name.")
  @ValidationRule(
      value = "size(self) <= 253 && self.matches('" + DNS_SUBDOMAIN + "')",
      message =
          "leaseName must be a DNS subdomain: at most 253 lowercase letters, digits, '-' and '.', "
              + "starting and ending with a letter or digit")
  private String leaseName;

  @JsonPropertyDescription(
      "How long a non-leader waits after the last renewal before it may take the lease.")
  @Min(1)
  @Max(MAX_SECONDS)
  @Default("" + ElectionDefaults.LEASE_DURATION_SECONDS)
  private Integer leaseDurationSeconds = ElectionDefaults.LEASE_DURATION_SECONDS;

  @JsonPropertyDescription(
      "How long the leader keeps retrying a renewal before it gives up leadership.")
  @Min(1)
  @Max(MAX_SECONDS)
  @Default("" + ElectionDefaults.RENEW_DEADLINE_SECONDS)
  private Integer renewDeadlineSeconds = ElectionDefaults.RENEW_DEADLINE_SECONDS;

  @JsonPropertyDescription("How often every candidate tries to acquire or renew the lease.")
  @Min(1)
  @Max(MAX_SECONDS)
  @Default("" + ElectionDefaults.RETRY_PERIOD_SECONDS)
  private Integer retryPeriodSeconds = ElectionDefaults.RETRY_PERIOD_SECONDS;

  @JsonPropertyDescription(
      "Whether a demo pod that stops releases the lease, so that another takes over at once.")
  @Default("true")
  private Boolean releaseOnCancel = true;

  @JsonPropertyDescription("Compute resources of each demo pod: cpu, memory and ephemeral-storage.")
  private DemoPodResources resources;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(String imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public String getLeaseName() {
    return leaseName;
  }

  public void setLeaseName(String leaseName) {
    this.leaseName = leaseName;
  }

  public Integer getLeaseDurationSeconds() {
    return leaseDurationSeconds;
  }

  public void setLeaseDurationSeconds(Integer leaseDurationSeconds) {
    this.leaseDurationSeconds = leaseDurationSeconds;
  }

  public Integer getRenewDeadlineSeconds() {
    return renewDeadlineSeconds;
  }

  public void setRenewDeadlineSeconds(Integer renewDeadlineSeconds) {
    this.renewDeadlineSeconds = renewDeadlineSeconds;
  }

  public Integer getRetryPeriodSeconds() {
    return retryPeriodSeconds;
  }

  public void setRetryPeriodSeconds(Integer retryPeriodSeconds) {
    this.retryPeriodSeconds = retryPeriodSeconds;
  }

  public Boolean getReleaseOnCancel() {
    return releaseOnCancel;
  }

  public void setReleaseOnCancel(Boolean releaseOnCancel) {
    this.releaseOnCancel = releaseOnCancel;
  }

  public DemoPodResources getResources() {
    return resources;
  }

  public void setResources(DemoPodResources resources) {
    this.resources = resources;
  }
}
