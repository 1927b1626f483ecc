package dev.leaderdemo.events;

/**
 * A reason an Event may be recorded for. Each program lists its own in an enum whose constant names
 * are the reasons, in Kubernetes' UpperCamelCase ({@code LeaderElected}).
 */
public interface EventReason {

  /** Normal or Warning, as `kubectl get events --field-selector type=Warning` filters. */
  enum Type {
    Normal,
    Warning
  }

  String name();

  Type type();
}
