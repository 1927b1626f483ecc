package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.dependent.DemoResources;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;

/**
 * Watches the Leases that demo pods hold. The operator does not own them (the pods create them), so they map to
 * their LeaderDemo by name and label. A plain renewal passes no event on: only what the status reports does.
 */
final class DemoLeaseEventSource {

  static final String NAME = "demo-lease";

  private DemoLeaseEventSource() {}

  static InformerEventSource<Lease, LeaderDemo> create(EventSourceContext<LeaderDemo> context) {
    var configuration = InformerEventSourceConfiguration.from(Lease.class, LeaderDemo.class)
        .withName(NAME)
        .withLabelSelector(DemoResources.LEASE_SELECTOR)
        .withSecondaryToPrimaryMapper(DemoLeaseEventSource::toLeaderDemo)
        .withPrimaryToSecondaryMapper((LeaderDemo demo) -> Set.of(
            new ResourceID(DemoResources.leaseName(demo), demo.getMetadata().getNamespace())))
        .withOnUpdateFilter((updated, old) ->
            LeaseObservation.of(updated).differsBeyondRenewal(LeaseObservation.of(old)))
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  private static Set<ResourceID> toLeaderDemo(Lease lease) {
    String instance = lease.getMetadata().getLabels() == null ? null
        : lease.getMetadata().getLabels().get(DemoResources.LABEL_INSTANCE);
    return instance == null ? Set.of() : Set.of(new ResourceID(instance, lease.getMetadata().getNamespace()));
  }
}
