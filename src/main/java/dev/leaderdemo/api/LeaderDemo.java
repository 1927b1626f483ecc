package dev.leaderdemo.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A demo of Kubernetes leader election: a Deployment whose pods elect a leader through a Lease. */
@Group(LeaderDemo.GROUP)
@Version(LeaderDemo.VERSION)
@Plural("leaderdemos")
@ShortNames("ld")
public class LeaderDemo extends CustomResource<LeaderDemoSpec, LeaderDemoStatus> implements Namespaced {

  public static final String GROUP = "leaderdemo.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  protected LeaderDemoSpec initSpec() {
    return new LeaderDemoSpec();
  }
}
