/**
 * core/v1 Events, recorded as Kubernetes' own recorder does: a repeat of the same event on the same
 * object raises one Event's count instead of adding another.
 */
package dev.leaderdemo.events;
