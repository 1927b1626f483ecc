package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.Optional;

/**
 * The demo Deployment exists only while its LeaderDemo owns the Lease it names: pods of a
 * LeaderDemo that lost a Lease name to another must not compete in that other's Lease. When this
 * does not hold, JOSDK deletes the Deployment; it comes back when the conflict is gone. The
 * reconciler decides and records it before the workflow.
 */
public class LeaseClaimedPrecondition implements Condition<Deployment, LeaderDemo> {

  private static final String KEY = "lease-claimed-by-another";

  /**
   * @param claimedBy the other LeaderDemo that owns the Lease, or empty when this one does
   */
  public static void record(Context<LeaderDemo> context, Optional<String> claimedBy) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, claimedBy.orElse(""));
  }

  @Override
  public boolean isMet(
      DependentResource<Deployment, LeaderDemo> dependent,
      LeaderDemo demo,
      Context<LeaderDemo> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(KEY, String.class)
        .orElse("")
        .isEmpty();
  }
}
