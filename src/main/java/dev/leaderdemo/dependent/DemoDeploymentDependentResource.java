package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoSpec;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.contract.DemoPodEnvironment;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo app's Deployment, from the template on the classpath. Its pods compete for the
 * LeaderDemo's Lease with the timings of its spec; a change of any of them changes the pod template
 * and so rolls the Deployment.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = DemoLabels.MANAGED_SELECTOR,
            itemStore = AppliedFieldsItemStore.class,
            onAddFilter = AddedDeploymentFilter.class))
public class DemoDeploymentDependentResource extends CreateThenApplyDependentResource<Deployment> {

  private static final String TEMPLATE = "demo-deployment.yaml";

  private final String defaultImage;
  private final Deployment template;

  /**
   * @param defaultImage the demo image for LeaderDemos that name none
   */
  public DemoDeploymentDependentResource(String defaultImage) {
    super(Deployment.class);
    this.defaultImage = defaultImage;
    try (InputStream in = DemoDeploymentDependentResource.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + TEMPLATE);
      }
      this.template = Serialization.unmarshal(in, Deployment.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Deployment desired(LeaderDemo demo, Context<LeaderDemo> context) {
    LeaderDemoSpec spec = demo.getSpec();
    String name = DemoResources.name(demo);
    String image =
        spec.getImage() == null || spec.getImage().isBlank() ? defaultImage : spec.getImage();
    DeploymentBuilder deployment =
        new DeploymentBuilder(template)
            .withMetadata(DemoResources.metadata(demo))
            .editSpec()
            .withReplicas(spec.getReplicas())
            .editSelector()
            .withMatchLabels(DemoResources.selectorLabels(demo))
            .endSelector()
            .editTemplate()
            .editMetadata()
            .withLabels(DemoResources.labels(demo))
            .endMetadata()
            .editSpec()
            .withServiceAccountName(name)
            .editFirstContainer()
            .withImage(image)
            .withImagePullPolicy(spec.getImagePullPolicy())
            .addAllToEnv(electionEnv(demo))
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec();
    if (spec.getResources() != null) {
      deployment
          .editSpec()
          .editTemplate()
          .editSpec()
          .editFirstContainer()
          .withResources(spec.getResources().toRequirements())
          .endContainer()
          .endSpec()
          .endTemplate()
          .endSpec();
    }
    return deployment.build();
  }

  private static List<EnvVar> electionEnv(LeaderDemo demo) {
    LeaderDemoSpec spec = demo.getSpec();
    List<EnvVar> env = new ArrayList<>();
    env.add(env(DemoPodEnvironment.LEASE_NAME, DemoResources.leaseName(demo)));
    env.add(env(DemoPodEnvironment.LEASE_DURATION_SECONDS, spec.getLeaseDurationSeconds()));
    env.add(env(DemoPodEnvironment.RENEW_DEADLINE_SECONDS, spec.getRenewDeadlineSeconds()));
    env.add(env(DemoPodEnvironment.RETRY_PERIOD_SECONDS, spec.getRetryPeriodSeconds()));
    env.add(env(DemoPodEnvironment.RELEASE_ON_CANCEL, spec.getReleaseOnCancel()));
    env.add(env(DemoPodEnvironment.LEADERDEMO_NAME, demo.getMetadata().getName()));
    env.add(env(DemoPodEnvironment.LEADERDEMO_UID, demo.getMetadata().getUid()));
    return env;
  }

  private static EnvVar env(String name, Object value) {
    return new EnvVarBuilder().withName(name).withValue(String.valueOf(value)).build();
  }
}
