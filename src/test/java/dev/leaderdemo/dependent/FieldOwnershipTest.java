package dev.leaderdemo.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldOwnershipTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static ManagedFieldsEntry entry(String manager, String operation, String subresource) {
    return new ManagedFieldsEntryBuilder()
        .withManager(manager)
        .withOperation(operation)
        .withSubresource(subresource)
        .withApiVersion("v1")
        .withFieldsType("FieldsV1")
        .build();
  }

  private static ConfigMap object(ManagedFieldsEntry... entries) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("demo")
        .withNamespace("ns")
        .withManagedFields(List.of(entries))
        .endMetadata()
        .withData(Map.of("a", "1"))
        .build();
  }

  @Test
  void onlyAnApplyEntryOfTheManagerCountsAsApplied() {
    assertThat(FieldOwnership.applied(object(entry("leaderdemo", "Apply", null)), "leaderdemo"))
        .isTrue();
    assertThat(FieldOwnership.applied(object(entry("leaderdemo", "Update", null)), "leaderdemo"))
        .isFalse();
    assertThat(FieldOwnership.applied(object(entry("kubectl", "Apply", null)), "leaderdemo"))
        .isFalse();
    assertThat(FieldOwnership.applied(object(), "leaderdemo")).isFalse();
  }

  @Test
  void theFingerprintChangesWithWhatIsWantedAndOnlyWithIt() {
    ConfigMap wanted = object();
    ConfigMap same = object();
    ConfigMap other = object();
    other.setData(Map.of("a", "2"));

    String fingerprint = FieldOwnership.fingerprint(JSON, wanted);
    assertThat(fingerprint).hasSize(64).isEqualTo(FieldOwnership.fingerprint(JSON, same));
    assertThat(FieldOwnership.fingerprint(JSON, other)).isNotEqualTo(fingerprint);

    ConfigMap created = object();
    created.getMetadata().setAnnotations(Map.of(FieldOwnership.CREATED_FROM, fingerprint));
    assertThat(FieldOwnership.createdFrom(created, fingerprint)).isTrue();
    assertThat(FieldOwnership.createdFrom(created, FieldOwnership.fingerprint(JSON, other)))
        .isFalse();
    assertThat(FieldOwnership.createdFrom(object(), fingerprint)).isFalse();
  }

  @Test
  void theTakeOverRenamesTheCreatesEntryAndNoOther() {
    ConfigMap current =
        object(
            entry("kube-controller-manager", "Update", "status"),
            entry("leaderdemo-operator", "Update", "status"),
            entry("kubectl-edit", "Update", null),
            entry("leaderdemo-operator", "Update", null));

    String patch =
        FieldOwnership.takeOverPatch(current, "leaderdemo-operator", "leaderdemo").orElseThrow();
    ConfigMap taken =
        JSON.convertValue(
            JsonPatch.apply(
                JSON.unmarshal(patch, com.fasterxml.jackson.databind.JsonNode.class),
                JSON.convertValue(current, com.fasterxml.jackson.databind.JsonNode.class)),
            ConfigMap.class);

    assertThat(taken.getMetadata().getManagedFields())
        .extracting(
            ManagedFieldsEntry::getManager,
            ManagedFieldsEntry::getOperation,
            ManagedFieldsEntry::getSubresource)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("kube-controller-manager", "Update", "status"),
            org.assertj.core.groups.Tuple.tuple("leaderdemo-operator", "Update", "status"),
            org.assertj.core.groups.Tuple.tuple("kubectl-edit", "Update", null),
            org.assertj.core.groups.Tuple.tuple("leaderdemo", "Apply", null));
    assertThat(patch).contains("\"op\":\"test\"");
  }

  @Test
  void thereIsNothingToTakeOverWithoutTheCreatesEntry() {
    assertThat(
            FieldOwnership.takeOverPatch(
                object(entry("kubectl", "Update", null)), "leaderdemo-operator", "leaderdemo"))
        .isEmpty();
  }

  @Test
  void theManagerOfAnUpdateIsTheUserAgentUpToTheSlash() {
    assertThat(FieldOwnership.managerOf("leaderdemo-operator/1")).isEqualTo("leaderdemo-operator");
    assertThat(FieldOwnership.managerOf("plain")).isEqualTo("plain");
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    return JSON.unmarshal(text.replace('\'', '"'), com.fasterxml.jackson.databind.JsonNode.class);
  }

  @Test
  void whatTheApiServerAddsStillSetsWhatIsWanted() {
    var wanted =
        json(
            "{'metadata':{'name':'d','labels':{'a':'1'}},'spec':{'replicas':1,"
                + "'template':{'spec':{'containers':[{'name':'c','ports':[{'containerPort':8080}]}]}}}}");
    var actual =
        json(
            "{'metadata':{'name':'d','uid':'u','generation':1,'labels':{'a':'1','b':'2'},"
                + "'annotations':{'x':'y'}},'spec':{'replicas':1,'progressDeadlineSeconds':600,"
                + "'template':{'spec':{'restartPolicy':'Always','containers':[{'name':'c',"
                + "'imagePullPolicy':'IfNotPresent','ports':[{'containerPort':8080,'protocol':'TCP'}]}]}}},"
                + "'status':{'replicas':1}}");
    assertThat(FieldOwnership.sets(actual, wanted)).isTrue();
  }

  @Test
  void aChangedMissingOrExtraItemDoesNot() {
    var wanted =
        json("{'metadata':{'labels':{'a':'1'}},'spec':{'replicas':1,'ports':[{'port':80}]}}");
    assertThat(
            FieldOwnership.sets(
                json(
                    "{'metadata':{'labels':{'a':'1'}},'spec':{'replicas':7,'ports':[{'port':80}]}}"),
                wanted))
        .as("a changed value")
        .isFalse();
    assertThat(
            FieldOwnership.sets(
                json("{'metadata':{'labels':{'a':'1'}},'spec':{'ports':[{'port':80}]}}"), wanted))
        .as("a missing field")
        .isFalse();
    assertThat(
            FieldOwnership.sets(
                json(
                    "{'metadata':{'labels':{'a':'1'}},'spec':{'replicas':1,'ports':[{'port':80},{'port':81}]}}"),
                wanted))
        .as("an item more")
        .isFalse();
    assertThat(
            FieldOwnership.sets(
                json(
                    "{'metadata':{'labels':{'a':'2'}},'spec':{'replicas':1,'ports':[{'port':80}]}}"),
                wanted))
        .as("a changed label")
        .isFalse();
  }
}
