package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The identity the demo pods run as. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = DemoLabels.MANAGED_SELECTOR,
            itemStore = AppliedFieldsItemStore.class))
public class DemoServiceAccountDependentResource
    extends CreateThenApplyDependentResource<ServiceAccount> {

  public DemoServiceAccountDependentResource() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(LeaderDemo demo, Context<LeaderDemo> context) {
    return new ServiceAccountBuilder().withMetadata(DemoResources.metadata(demo)).build();
  }
}
