package dev.leaderdemo.contract;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** The custom resource's group, version and kind, and the owner reference that names one. */
public final class LeaderDemoKind {

  public static final String GROUP = "leaderdemo.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "LeaderDemo";

  private LeaderDemoKind() {}

  /** Makes an object go with its LeaderDemo (garbage collection) and shows who it belongs to. */
  public static OwnerReference ownerReference(String name, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(KIND)
        .withName(name)
        .withUid(uid)
        .build();
  }
}
