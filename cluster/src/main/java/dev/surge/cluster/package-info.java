/**
 * The one emulation of what stands outside surge in a cluster, shared by the lab and the system
 * tests (CONVENTIONS: one home for each outside thing). Sub-packages: {@code proc} (a process's CPU
 * and memory as metrics-server and cAdvisor report a container's), {@code kube} (kube-state-metrics
 * and cAdvisor-like series on client_java), {@code operator} (the Prometheus Operator's
 * ServiceMonitor/PodMonitor label derivation and PrometheusRule extraction), {@code prometheus}
 * (the Prometheus and Alertmanager processes).
 */
package dev.surge.cluster;
