package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * The five objects the operator makes of a LeaderDemo, for benchmarks that create them without it.
 */
public final class DesiredObjects {

  private DesiredObjects() {}

  public static List<HasMetadata> of(LeaderDemo demo, String image) {
    return List.of(
        new DemoServiceAccountDependentResource().desired(demo, null),
        new DemoRoleDependentResource().desired(demo, null),
        new DemoRoleBindingDependentResource().desired(demo, null),
        new DemoDeploymentDependentResource(image).desired(demo, null),
        new DemoLeaderServiceDependentResource().desired(demo, null));
  }
}
