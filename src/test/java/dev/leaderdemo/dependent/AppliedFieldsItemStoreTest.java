package dev.leaderdemo.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the dependents' caches keep of managedFields: the Apply entries, their fields shared. */
class AppliedFieldsItemStoreTest {

  private static FieldsV1 fields(String container) {
    return fields(container, "u-1");
  }

  /** As the API server sends them: maps that Jackson made, each object's own. */
  private static FieldsV1 fields(String container, String ownerUid) {
    FieldsV1 fields = new FieldsV1();
    fields.setAdditionalProperty(
        "f:metadata",
        map("f:ownerReferences", map("k:{\"uid\":\"" + ownerUid + "\"}", map(".", map()))));
    fields.setAdditionalProperty(
        "f:spec", map("f:template", map("k:{\"name\":\"" + container + "\"}", map(".", map()))));
    return fields;
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static ManagedFieldsEntry entry(String manager, String operation, FieldsV1 fields) {
    return new ManagedFieldsEntryBuilder()
        .withManager(manager)
        .withOperation(operation)
        .withFieldsType("FieldsV1")
        .withFieldsV1(fields)
        .build();
  }

  private static Deployment deployment(String name, String container) {
    return deployment(name, container, "u-1");
  }

  private static Deployment deployment(String name, String container, String ownerUid) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .withManagedFields(
            entry("leaderdemo", "Apply", fields(container, ownerUid)),
            entry("kube-controller-manager", "Update", fields("status")))
        .endMetadata()
        .build();
  }

  @Test
  void onlyApplyEntriesAreKept() {
    AppliedFieldsItemStore<Deployment> store = new AppliedFieldsItemStore<>();
    Deployment d = deployment("a", "app");

    store.put(store.getKey(d), d);

    List<ManagedFieldsEntry> kept = store.get("ns/a").getMetadata().getManagedFields();
    assertThat(kept).extracting(ManagedFieldsEntry::getManager).containsExactly("leaderdemo");
    assertThat(kept.get(0).getFieldsV1()).isEqualTo(fields("app"));
  }

  @Test
  void equalFieldSetsAreOneInstanceAndDifferentOnesAreNot() {
    AppliedFieldsItemStore<Deployment> store = new AppliedFieldsItemStore<>();
    Deployment a = deployment("a", "app");
    Deployment b = deployment("b", "app");
    Deployment c = deployment("c", "sidecar");

    store.put(store.getKey(a), a);
    store.put(store.getKey(b), b);
    store.put(store.getKey(c), c);

    assertThat(applied(store, "ns/a")).isSameAs(applied(store, "ns/b"));
    assertThat(applied(store, "ns/c")).isNotSameAs(applied(store, "ns/a"));
    assertThat(applied(store, "ns/c")).isEqualTo(fields("sidecar"));
  }

  @Test
  void whatDiffersIsKeptApartAndWhatIsEqualIsShared() {
    AppliedFieldsItemStore<Deployment> store = new AppliedFieldsItemStore<>();
    Deployment a = deployment("a", "app", "u-a");
    Deployment b = deployment("b", "app", "u-b");

    store.put(store.getKey(a), a);
    store.put(store.getKey(b), b);

    assertThat(applied(store, "ns/a")).isEqualTo(fields("app", "u-a"));
    assertThat(applied(store, "ns/b")).isEqualTo(fields("app", "u-b"));
    assertThat(applied(store, "ns/a").getAdditionalProperties().get("f:spec"))
        .isSameAs(applied(store, "ns/b").getAdditionalProperties().get("f:spec"));
  }

  private static FieldsV1 applied(AppliedFieldsItemStore<Deployment> store, String key) {
    return store.get(key).getMetadata().getManagedFields().get(0).getFieldsV1();
  }
}
