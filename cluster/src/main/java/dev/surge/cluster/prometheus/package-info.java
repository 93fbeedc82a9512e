/**
 * The Prometheus and Alertmanager processes (Debian's binaries, on free loopback ports, under a
 * watchdog so that none outlives its JVM), the webhook sink Alertmanager's receivers post to, and
 * the Alertmanager config rewritten to point at it.
 */
package dev.surge.cluster.prometheus;
