package dev.leaderdemo.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who owns a dependent's fields, as its managedFields tell, and how a dependent that the operator
 * created with a plain POST becomes one that it owns by server-side apply.
 *
 * <p>A POST records its fields under an Update entry of the client's manager, defaulted fields
 * included; server-side apply only removes a field that nobody but the applier owns. So before the
 * first apply the create's entry is renamed to the operator's Apply entry, as {@code kubectl apply
 * --server-side} does when it takes over from client-side apply: the apply then removes what the
 * operator no longer wants, and the API server sets the defaults again.
 */
public final class FieldOwnership {

  /**
   * What the operator wanted when it created the object, until its first apply: without an Apply
   * entry nothing else tells a field it dropped since from a field the API server defaulted.
   */
  public static final String CREATED_FROM = "leaderdemo.dev/created-from";

  static final String APPLY = "Apply";
  static final String UPDATE = "Update";

  private FieldOwnership() {}

  /** Whether {@code manager} owns fields of the object by server-side apply. */
  public static boolean applied(HasMetadata object, String manager) {
    return entries(object).stream()
        .anyMatch(e -> manager.equals(e.getManager()) && APPLY.equals(e.getOperation()));
  }

  /** The SHA-256 of the object's JSON, which names nothing but what the operator wants. */
  public static String fingerprint(KubernetesSerialization serialization, HasMetadata desired) {
    try {
      byte[] json = serialization.asJson(desired).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Whether the object still carries the fingerprint of what was wanted when it was created. */
  public static boolean createdFrom(HasMetadata actual, String fingerprint) {
    Map<String, String> annotations = actual.getMetadata().getAnnotations();
    return annotations != null && fingerprint.equals(annotations.get(CREATED_FROM));
  }

  /**
   * Whether {@code actual} has every field that {@code desired} sets, with the same value: what the
   * API server adds (defaults, status, its own metadata) does not count, a list must have as many
   * items as wanted. Of the metadata only labels, annotations and owner references count.
   */
  public static boolean sets(JsonNode actual, JsonNode desired) {
    for (Map.Entry<String, JsonNode> field : desired.properties()) {
      String name = field.getKey();
      if (name.equals("status")) {
        continue;
      }
      JsonNode wanted = field.getValue();
      if (name.equals("metadata")) {
        for (String kept : List.of("labels", "annotations", "ownerReferences")) {
          if (wanted.has(kept) && !contains(actual.path("metadata").path(kept), wanted.get(kept))) {
            return false;
          }
        }
      } else if (!contains(actual.path(name), wanted)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(JsonNode actual, JsonNode wanted) {
    if (wanted.isNull()) {
      return true;
    }
    if (wanted.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> field : wanted.properties()) {
        if (!contains(actual.path(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (wanted.isArray()) {
      if (!actual.isArray() || actual.size() != wanted.size()) {
        return false;
      }
      for (int i = 0; i < wanted.size(); i++) {
        if (!contains(actual.get(i), wanted.get(i))) {
          return false;
        }
      }
      return true;
    }
    return wanted.equals(actual);
  }

  /**
   * The JSON Patch that renames the create's Update entry of {@code creator} to an Apply entry of
   * {@code manager}; empty when the object has no such entry. Its tests make it fail, rather than
   * rename another entry, when the managedFields changed since {@code current} was read.
   */
  public static Optional<String> takeOverPatch(
      HasMetadata current, String creator, String manager) {
    List<ManagedFieldsEntry> entries = entries(current);
    for (int i = 0; i < entries.size(); i++) {
      ManagedFieldsEntry e = entries.get(i);
      boolean ofTheObject = e.getSubresource() == null || e.getSubresource().isEmpty();
      if (creator.equals(e.getManager()) && UPDATE.equals(e.getOperation()) && ofTheObject) {
        String entry = "/metadata/managedFields/" + i;
        return Optional.of(
            "[{\"op\":\"test\",\"path\":\""
                + entry
                + "/manager\",\"value\":"
                + quoted(creator)
                + "},{\"op\":\"test\",\"path\":\""
                + entry
                + "/operation\",\"value\":\"Update\"},{\"op\":\"replace\",\"path\":\""
                + entry
                + "/manager\",\"value\":"
                + quoted(manager)
                + "},{\"op\":\"replace\",\"path\":\""
                + entry
                + "/operation\",\"value\":\"Apply\"}]");
      }
    }
    return Optional.empty();
  }

  /** The manager the API server names a request's Update after: its User-Agent up to the '/'. */
  public static String managerOf(String userAgent) {
    int slash = userAgent.indexOf('/');
    return slash < 0 ? userAgent : userAgent.substring(0, slash);
  }

  private static List<ManagedFieldsEntry> entries(HasMetadata object) {
    List<ManagedFieldsEntry> entries = object.getMetadata().getManagedFields();
    return entries == null ? List.of() : entries;
  }

  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
