/**
 * What the operator and the demo app agree on: the LeaderDemo kind, the environment a demo pod is
 * given, the labels of everything derived (the demo pods' Leases included) and the election's
 * default timings. It depends on no other package of the project, so both programs can use it
 * without depending on each other.
 */
package dev.leaderdemo.contract;
