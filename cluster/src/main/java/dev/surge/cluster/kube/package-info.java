/**
 * kube-state-metrics and cAdvisor-like series on client_java ({@link
 * dev.surge.cluster.kube.ClusterSeries}, served by {@link dev.surge.cluster.kube.ClusterExporter})
 * from a {@link dev.surge.cluster.kube.ClusterSnapshot} that the lab or a system test fills with
 * its own measurements.
 */
package dev.surge.cluster.kube;
