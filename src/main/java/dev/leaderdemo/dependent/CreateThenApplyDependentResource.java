package dev.leaderdemo.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leaderdemo.api.LeaderDemo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A dependent that is created with a plain POST and changed by server-side apply from then on.
 *
 * <p>An apply costs the API server about twice a create: it parses the body as YAML and merges it
 * into managed fields. Most dependents are written once and never again, so the create skips that,
 * and only a dependent that has to change pays it, once it does (see {@link FieldOwnership}).
 *
 * <p>Until its first apply, an object matches when it still carries the fingerprint of what is
 * wanted now and no field the operator sets has another value: a field that the operator stopped
 * setting changes the fingerprint, a field that somebody else changed fails the comparison.
 */
public abstract class CreateThenApplyDependentResource<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, LeaderDemo> {

  protected CreateThenApplyDependentResource(Class<R> resourceType) {
    super(resourceType);
  }

  @Override
  public R create(R desired, LeaderDemo primary, Context<LeaderDemo> context) {
    String fingerprint =
        FieldOwnership.fingerprint(context.getClient().getKubernetesSerialization(), desired);
    Map<String, String> annotations =
        desired.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(desired.getMetadata().getAnnotations());
    annotations.put(FieldOwnership.CREATED_FROM, fingerprint);
    desired.getMetadata().setAnnotations(annotations);
    addMetadata(false, null, desired, primary, context);
    return prepare(context, desired, primary, "Creating").create();
  }

  @Override
  public Result<R> match(R actual, R desired, LeaderDemo primary, Context<LeaderDemo> context) {
    if (FieldOwnership.applied(actual, manager(context))) {
      return super.match(actual, desired, primary, context);
    }
    var serialization = context.getClient().getKubernetesSerialization();
    String fingerprint = FieldOwnership.fingerprint(serialization, desired);
    addMetadata(true, actual, desired, primary, context);
    boolean matches =
        FieldOwnership.createdFrom(actual, fingerprint)
            && FieldOwnership.sets(
                serialization.convertValue(actual, JsonNode.class),
                serialization.convertValue(desired, JsonNode.class));
    return Result.computed(matches, desired);
  }

  @Override
  public R update(R actual, R desired, LeaderDemo primary, Context<LeaderDemo> context) {
    String manager = manager(context);
    if (!FieldOwnership.applied(actual, manager)) {
      takeOver(actual, context.getClient(), manager);
    }
    return super.update(actual, desired, primary, context);
  }

  /**
   * Renames the create's entry to the operator's Apply entry, on the object as the API server has
   * it now: the cached one keeps no Update entries, and the index the patch names must be the
   * server's.
   */
  private void takeOver(R actual, KubernetesClient client, String manager) {
    R current =
        client
            .resources(resourceType())
            .inNamespace(actual.getMetadata().getNamespace())
            .withName(actual.getMetadata().getName())
            .get();
    if (current == null || FieldOwnership.applied(current, manager)) {
      return;
    }
    String creator = FieldOwnership.managerOf(client.getConfiguration().getUserAgent());
    Optional<String> patch = FieldOwnership.takeOverPatch(current, creator, manager);
    if (patch.isPresent()) {
      client.resource(current).patch(PatchContext.of(PatchType.JSON), patch.get());
    }
  }

  private static String manager(Context<LeaderDemo> context) {
    return context.getControllerConfiguration().fieldManager();
  }
}
