package dev.leaderdemo.reconciler;

import dev.leaderdemo.contract.KubernetesTime;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;

/**
 * Standard condition bookkeeping: lastTransitionTime moves only when the condition's status moves.
 */
final class Conditions {

  private Conditions() {}

  static Condition carryTransitionTime(Condition condition, List<Condition> previous, Instant now) {
    String transitionTime =
        previous.stream()
            .filter(
                p ->
                    condition.getType().equals(p.getType())
                        && condition.getStatus().equals(p.getStatus()))
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElse(KubernetesTime.format(now));
    return new ConditionBuilder(condition).withLastTransitionTime(transitionTime).build();
  }
}
