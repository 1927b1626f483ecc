package dev.leaderdemo.dependent;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An informer's cache that keeps of each object's managedFields only what server-side apply
 * matching reads, and keeps that once.
 *
 * <p>JOSDK's SSA matcher compares the fields that the operator's Apply entry lists, so the Update
 * entries (kubectl's, kube-controller-manager's status writes) are dropped. And since every demo
 * Deployment's Apply entry lists the same fields, as do those of every ServiceAccount, Role and
 * RoleBinding, equal field sets share one instance. With 1000 LeaderDemos these trees of maps were
 * most of the operator's heap. The objects are changed in place before the informer hands them on,
 * and nothing in the operator writes managedFields, so sharing them is safe. The rest of each
 * object is then {@link CompactedModel compacted}.
 */
public final class AppliedFieldsItemStore<R extends HasMetadata> extends BasicItemStore<R> {

  /** Distinct field sets are few; a bound keeps a stream of varied ones from growing it forever. */
  private static final int SHARED_FIELD_SETS = 256;

  /** Distinct subtrees are a few hundred per kind of object. */
  private static final int SHARED_SUBTREES = 16_384;

  private static final Map<Map<String, Object>, FieldsV1> SHARED_SETS = bounded(SHARED_FIELD_SETS);
  private static final Map<Map<String, Object>, Map<String, Object>> SHARED =
      bounded(SHARED_SUBTREES);

  private static <K, V> Map<K, V> bounded(int entries) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > entries;
      }
    };
  }

  public AppliedFieldsItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R obj) {
    keepAppliedFields(obj);
    CompactedModel.compact(obj);
    return super.put(key, obj);
  }

  static void keepAppliedFields(HasMetadata obj) {
    List<ManagedFieldsEntry> entries = obj.getMetadata().getManagedFields();
    if (entries == null || entries.isEmpty()) {
      return;
    }
    List<ManagedFieldsEntry> applied =
        entries.stream()
            .filter(e -> FieldOwnership.APPLY.equals(e.getOperation()))
            .collect(Collectors.toCollection(ArrayList::new));
    applied.forEach(e -> e.setFieldsV1(shared(e.getFieldsV1())));
    obj.getMetadata().setManagedFields(applied);
  }

  private static FieldsV1 shared(FieldsV1 fields) {
    if (fields == null || fields.getAdditionalProperties() == null) {
      return fields;
    }
    Map<String, Object> tree = fields.getAdditionalProperties();
    synchronized (SHARED) {
      for (Map.Entry<String, Object> e : tree.entrySet()) {
        e.setValue(shared(e.getValue()));
      }
      FieldsV1 known = SHARED_SETS.get(tree);
      if (known == null) {
        SHARED_SETS.put(tree, fields);
        return fields;
      }
      return known;
    }
  }

  /**
   * The same subtree, one instance: most of an Apply entry is equal across objects of a kind, but
   * not all of it (an ownerReference is keyed by its uid), so sharing is by subtree.
   */
  @SuppressWarnings("unchecked")
  private static Object shared(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return value;
    }
    Map<String, Object> subtree = (Map<String, Object>) map;
    for (Map.Entry<String, Object> e : subtree.entrySet()) {
      e.setValue(shared(e.getValue()));
    }
    return SHARED.computeIfAbsent(subtree, key -> subtree);
  }
}
