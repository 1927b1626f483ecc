package dev.leaderdemo.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.leaderdemo.contract.LeaderDemoKind;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Optional;

/** A demo of Kubernetes leader election: a Deployment whose pods elect a leader through a Lease. */
@Group(LeaderDemoKind.GROUP)
@Version(LeaderDemoKind.VERSION)
@Plural("leaderdemos")
@ShortNames("ld")
@ValidationRule(
    value = "size(self.metadata.name) <= " + LeaderDemo.MAX_NAME_LENGTH,
    message =
        "metadata.name must be at most 63 characters: it becomes the app.kubernetes.io/instance"
            + " label value of the demo's Deployment, pods and Lease")
public class LeaderDemo extends CustomResource<LeaderDemoSpec, LeaderDemoStatus>
    implements Namespaced {

  /**
   * The longest label value Kubernetes accepts; the name is the instance label of everything
   * derived.
   */
  public static final int MAX_NAME_LENGTH = 63;

  @Override
  protected LeaderDemoSpec initSpec() {
    return new LeaderDemoSpec();
  }

  @Override
  @JsonDeserialize(using = TolerantReaders.SpecReader.class)
  public void setSpec(LeaderDemoSpec spec) {
    super.setSpec(spec);
  }

  @Override
  @JsonDeserialize(using = TolerantReaders.StatusReader.class)
  public void setStatus(LeaderDemoStatus status) {
    super.setStatus(status);
  }

  /**
   * Why the operator cannot use this LeaderDemo's spec, naming the field, when the API server
   * accepted a spec that does not fit the model (an older or laxer CRD).
   */
  @JsonIgnore
  public Optional<String> specProblem() {
    return getSpec() instanceof UnreadableSpec unreadable
        ? Optional.of(unreadable.problem())
        : Optional.empty();
  }
}
