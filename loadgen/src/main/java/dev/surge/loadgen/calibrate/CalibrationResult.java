package dev.surge.loadgen.calibrate;

/**
 * What {@link Calibrator} measured.
 *
 * @param rate the rate driven (requests/s)
 * @param seconds how long the measured phase lasted
 * @param sent requests sent in the measured phase
 * @param ok responses with a 2xx/3xx status
 * @param errors failed requests or 4xx/5xx responses
 * @param dropped requests not sent because the in-flight cap was reached
 * @param served requests the app counted ({@code surge_http_requests_total} delta), or -1 if it
 *     does not expose it
 * @param cpuSecondsDelta {@code process_cpu_seconds_total} delta over the measured phase
 * @param idleMillicores CPU the app burned before the load, per second (subtracted from the delta)
 * @param cpuPerRequestSeconds net CPU per served request
 * @param p50Millis latency from the intended send time, median
 * @param p90Millis 90th percentile
 * @param p99Millis 99th percentile
 * @param maxMillis maximum
 */
public record CalibrationResult(
    double rate,
    double seconds,
    long sent,
    long ok,
    long errors,
    long dropped,
    long served,
    double cpuSecondsDelta,
    double idleMillicores,
    double cpuPerRequestSeconds,
    double p50Millis,
    double p90Millis,
    double p99Millis,
    double maxMillis) {}
