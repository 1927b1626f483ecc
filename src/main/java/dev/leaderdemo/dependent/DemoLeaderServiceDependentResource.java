package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * A ClusterIP Service whose one endpoint is the leading demo pod: it selects the demo's pods that
 * carry {@link DemoLabels#LEADER}, which the operator keeps on the holder of the Lease alone.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = DemoLabels.MANAGED_SELECTOR,
            itemStore = AppliedFieldsItemStore.class))
public class DemoLeaderServiceDependentResource extends CreateThenApplyDependentResource<Service> {

  /** The demo app's HTTP port (the container port named http): /leader, /healthz, /readyz. */
  public static final int PORT = 8080;

  public DemoLeaderServiceDependentResource() {
    super(Service.class);
  }

  @Override
  protected Service desired(LeaderDemo demo, Context<LeaderDemo> context) {
    Map<String, String> selector = DemoResources.selectorLabels(demo);
    selector.put(DemoLabels.LEADER, DemoLabels.LEADER_VALUE);
    return new ServiceBuilder()
        .withMetadata(DemoResources.metadata(demo))
        .editMetadata()
        .withName(DemoResources.leaderServiceName(demo))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector)
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(PORT)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .endSpec()
        .build();
  }
}
