/**
 * What the Prometheus Operator derives from surge's manifests: scrape jobs and target labels from a
 * ServiceMonitor or PodMonitor ({@link dev.surge.cluster.operator.ScrapeJobs}), and rule files from
 * a PrometheusRule ({@link dev.surge.cluster.operator.RuleGroups}, {@link
 * dev.surge.cluster.operator.RuleTiming}).
 */
package dev.surge.cluster.operator;
