package dev.leaderdemo.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;

/**
 * A demo Deployment that appears reconciles nothing: the operator created it, in a reconcile that
 * already reported on it, and its status fills in later through updates. JOSDK cannot tell its own
 * create of a Deployment apart (its "previous" annotation is off for Deployments, whose controller
 * writes them anyway), so whenever the watch's ADDED came before the create's answer, each new
 * LeaderDemo was reconciled a second time for nothing. Updates and deletions still reconcile.
 */
public final class AddedDeploymentFilter implements OnAddFilter<Deployment> {

  @Override
  public boolean accept(Deployment deployment) {
    return false;
  }
}
