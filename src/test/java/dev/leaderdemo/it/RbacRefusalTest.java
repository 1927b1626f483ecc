package dev.leaderdemo.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * RbacIT's "this rule was needed": only the API server's refusal of a request of exactly the
 * removed rule counts. The messages are worded as k8s.io/apiserver's forbiddenMessage words them.
 */
class RbacRefusalTest {

  private static final String SA = "system:serviceaccount:leaderdemo-system:leaderdemo-operator";
  private static final List<String> NAMESPACES = List.of("rbac-rule-1", "leaderdemo-system");

  private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resources)
        .withVerbs(verbs)
        .build();
  }

  private static boolean refused(PolicyRule rule, String log) {
    return RbacIT.refusal(rule, SA, NAMESPACES).matcher(log).find();
  }

  private static String forbidden(
      String user, String verb, String resource, String group, String scope) {
    return "Failure executing: GET at: https://10.244.0.1:6443/x. Message: x is forbidden: User \""
        + user
        + "\" cannot "
        + verb
        + " resource \""
        + resource
        + "\" in API group \""
        + group
        + "\" "
        + scope
        + ". Received status: Status(code=403)";
  }

  @Test
  void aRefusalOfOneOfTheRulesRequestsCounts() {
    PolicyRule leaderDemos =
        rule("leaderdemo.dev", List.of("leaderdemos"), List.of("get", "list", "watch"));
    assertThat(
            refused(
                leaderDemos,
                forbidden(SA, "list", "leaderdemos", "leaderdemo.dev", "at the cluster scope")))
        .isTrue();
    assertThat(
            refused(
                leaderDemos,
                forbidden(
                    SA,
                    "watch",
                    "leaderdemos",
                    "leaderdemo.dev",
                    "in the namespace \"rbac-rule-1\"")))
        .isTrue();
    PolicyRule status = rule("leaderdemo.dev", List.of("leaderdemos/status"), List.of("patch"));
    assertThat(
            refused(
                status,
                forbidden(
                    SA,
                    "patch",
                    "leaderdemos/status",
                    "leaderdemo.dev",
                    "in the namespace \"rbac-rule-1\"")))
        .isTrue();
    PolicyRule events = rule("", List.of("events"), List.of("create"));
    assertThat(
            refused(
                events, forbidden(SA, "create", "events", "", "in the namespace \"rbac-rule-1\"")))
        .isTrue();
  }

  @Test
  void aRefusalOfAnythingElseDoesNot() {
    PolicyRule leaderDemos =
        rule("leaderdemo.dev", List.of("leaderdemos"), List.of("get", "list", "watch"));
    // a subresource is another resource
    assertThat(
            refused(
                leaderDemos,
                forbidden(
                    SA,
                    "patch",
                    "leaderdemos/status",
                    "leaderdemo.dev",
                    "in the namespace \"rbac-rule-1\"")))
        .isFalse();
    // a verb the rule does not grant
    assertThat(
            refused(
                leaderDemos,
                forbidden(SA, "delete", "leaderdemos", "leaderdemo.dev", "at the cluster scope")))
        .isFalse();
    // another user
    assertThat(
            refused(
                leaderDemos,
                forbidden(
                    "system:serviceaccount:other:default",
                    "list",
                    "leaderdemos",
                    "leaderdemo.dev",
                    "at the cluster scope")))
        .isFalse();
    // another namespace than the test's and the operator's
    assertThat(
            refused(
                leaderDemos,
                forbidden(
                    SA, "get", "leaderdemos", "leaderdemo.dev", "in the namespace \"default\"")))
        .isFalse();
    PolicyRule events = rule("", List.of("events"), List.of("create"));
    // the same resource name in another API group
    assertThat(
            refused(
                events,
                forbidden(
                    SA, "create", "events", "events.k8s.io", "in the namespace \"rbac-rule-1\"")))
        .isFalse();
    // a 403 of another rule, and a refusal to grant what the operator lacks (RBAC escalation), are
    // not this rule's
    assertThat(
            refused(events, forbidden(SA, "list", "deployments", "apps", "at the cluster scope")))
        .isFalse();
    assertThat(
            refused(
                events,
                "roles.rbac.authorization.k8s.io \"demo\" is forbidden: user \""
                    + SA
                    + "\" (groups=[\"system:serviceaccounts\"]) is attempting to grant RBAC"
                    + " permissions not currently held:\n"
                    + "{APIGroups:[\"\"], Resources:[\"events\"], Verbs:[\"create\"]}"))
        .isFalse();
    assertThat(
            refused(
                events, "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"))
        .isFalse();
  }

  @Test
  void theElectionLeaseCheckCountsOnlyForARuleGrantingLeases() {
    PolicyRule leases =
        rule(
            "coordination.k8s.io",
            List.of("leases"),
            List.of("get", "list", "watch", "create", "update", "patch"));
    Pattern election = RbacIT.electionRefusal(leases, "leaderdemo-system").orElseThrow();
    assertThat(
            election
                .matcher(
                    "OperatorException: No permission to lease resource. in namespace: "
                        + "leaderdemo-system; missing required verbs: [create, update, get]")
                .find())
        .isTrue();
    assertThat(
            election
                .matcher(
                    "No permission to lease resource. in namespace: rbac-rule-5; missing required "
                        + "verbs: [create, update, get]")
                .find())
        .isFalse();
    assertThat(
            RbacIT.electionRefusal(
                rule("", List.of("events"), List.of("create")), "leaderdemo-system"))
        .isEmpty();
  }
}
