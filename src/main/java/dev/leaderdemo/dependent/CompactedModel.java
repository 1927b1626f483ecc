package dev.leaderdemo.dependent;

import io.fabric8.kubernetes.api.model.FieldsV1;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * Makes a cached fabric8 object smaller in place, without changing what it says: equal strings
 * become one instance, an empty {@code additionalProperties} map becomes one shared empty map, and
 * lists lose their spare capacity.
 *
 * <p>Every fabric8 model object carries a map of its own for unknown JSON fields, and every one of
 * its strings ("apps/v1", "leaderdemo", "TCP", a namespace's name) is a copy of its own. With 1000
 * LeaderDemos those were 194,000 empty maps and 350,000 duplicate strings: about 34 of the 77 MiB
 * of the operator's live heap. Sharing is safe because nothing writes a cached object: JOSDK
 * reconciles a copy of the primary, the builders copy the maps of what they start from, and fabric8
 * reads each event into new objects.
 */
final class CompactedModel {

  /** The model's packages: fabric8's types and this operator's own resource. */
  private static final List<String> MODEL_PACKAGES =
      List.of("io.fabric8.kubernetes.api.model", "dev.leaderdemo.api");

  /** Distinct common strings are a few hundred; the bound keeps unique ones from piling up. */
  private static final int CANONICAL_STRINGS = 4096;

  private static final Map<String, String> CANONICAL = bounded(CANONICAL_STRINGS);

  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          List<Field> fields = new ArrayList<>();
          for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
              if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                f.setAccessible(true);
                fields.add(f);
              }
            }
          }
          return List.copyOf(fields);
        }
      };

  private CompactedModel() {}

  private static <K, V> Map<K, V> bounded(int entries) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > entries;
      }
    };
  }

  /** Compacts {@code object} and everything it holds; returns it. */
  static <T> T compact(T object) {
    visit(object);
    return object;
  }

  private static Object visit(Object value) {
    if (value instanceof String s) {
      return canonical(s);
    }
    if (value instanceof List<?> list) {
      compactList(list);
    } else if (value instanceof Map<?, ?> map) {
      compactMap(map);
    } else if (value != null && !(value instanceof FieldsV1) && isModel(value.getClass())) {
      // (managedFields' trees are shared whole by AppliedFieldsItemStore)
      compactFields(value);
    }
    return value;
  }

  private static void compactFields(Object object) {
    for (Field field : FIELDS.get(object.getClass())) {
      try {
        Object value = field.get(object);
        if (value == null) {
          continue;
        }
        if (value instanceof Map<?, ?> map
            && map.isEmpty()
            && field.getName().equals("additionalProperties")) {
          field.set(object, Collections.emptyMap());
          continue;
        }
        Object compacted = visit(value);
        if (compacted != value) {
          field.set(object, compacted);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot compact " + field, e);
      }
    }
  }

  /** Jackson reads lists into ArrayLists; any other kind is only looked into. */
  @SuppressWarnings("unchecked")
  private static void compactList(List<?> list) {
    boolean ours = list instanceof ArrayList<?>;
    if (ours) {
      ((ArrayList<?>) list).trimToSize();
    }
    ListIterator<Object> it = (ListIterator<Object>) list.listIterator();
    while (it.hasNext()) {
      Object element = it.next();
      Object compacted = visit(element);
      if (compacted != element && ours) {
        it.set(compacted);
      }
    }
  }

  /** Jackson reads maps into LinkedHashMaps; any other kind is only looked into. */
  @SuppressWarnings("unchecked")
  private static void compactMap(Map<?, ?> map) {
    boolean ours = map instanceof HashMap<?, ?>;
    for (Map.Entry<Object, Object> entry : ((Map<Object, Object>) map).entrySet()) {
      Object value = entry.getValue();
      Object compacted = visit(value);
      if (compacted != value && ours) {
        entry.setValue(compacted);
      }
    }
  }

  private static String canonical(String s) {
    synchronized (CANONICAL) {
      String known = CANONICAL.putIfAbsent(s, s);
      return known == null ? s : known;
    }
  }

  private static boolean isModel(Class<?> type) {
    String name = type.getName();
    for (String p : MODEL_PACKAGES) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
