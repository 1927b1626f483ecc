package dev.leaderdemo.operator;

import dev.leaderdemo.dependent.DemoDeploymentDependentResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;

/**
 * Lets the demo Deployment dependent take the operator's configured demo image through its
 * constructor; JOSDK builds the other dependents as usual.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
class LeaderDemoDependentResourceFactory
    implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {

  private final String demoImage;

  LeaderDemoDependentResourceFactory(String demoImage) {
    this.demoImage = demoImage;
  }

  @Override
  public DependentResource createFrom(
      DependentResourceSpec spec, ControllerConfiguration<?> configuration) {
    if (spec.getDependentResourceClass() != DemoDeploymentDependentResource.class) {
      return DependentResourceFactory.super.createFrom(spec, configuration);
    }
    DependentResource deployment = new DemoDeploymentDependentResource(demoImage);
    configure(deployment, spec, configuration);
    return deployment;
  }

  @Override
  public Class<?> associatedResourceType(DependentResourceSpec spec) {
    return spec.getDependentResourceClass() == DemoDeploymentDependentResource.class
        ? Deployment.class
        : DependentResourceFactory.super.associatedResourceType(spec);
  }
}
