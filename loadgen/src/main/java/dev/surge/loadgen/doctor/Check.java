package dev.surge.loadgen.doctor;

import java.util.List;

/**
 * One area the doctor examines: it compares what the overlay renders with what the cluster has and
 * returns one result per thing checked (an empty list when the overlay has nothing of its kind). A
 * {@link ClusterException} thrown from {@link #run} is reported by {@link Doctor} as one missing
 * line for the whole check.
 */
interface Check {
  /** The short name in the report's second column. */
  String name();

  List<CheckResult> run(Overlay overlay, Cluster cluster);
}
