package dev.surge.loadgen.run;

import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.check.AbortRule;
import dev.surge.loadgen.check.Thresholds;
import dev.surge.loadgen.dispatch.CatchUp;
import dev.surge.loadgen.scenario.RequestMix;
import dev.surge.loadgen.shard.ShardSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything one run needs, resolved and validated (by the {@code run} command or the lab from
 * flags, then {@code SURGE_LOADGEN_*} environment variables). Immutable.
 *
 * @param mix the requests to send
 * @param profile the whole load shape (all shards), already capped by --max-rate and cut to
 *     --duration
 * @param shard this process's share
 * @param connections maximum connections per target
 * @param http2 HTTP/2 clear-text (prior knowledge) instead of HTTP/1.1
 * @param maxInFlight over this many in flight, due requests are dropped
 * @param maxConnectionAgeMillis connections older than this are retired (0: never)
 * @param idleTimeoutMillis client idle timeout
 * @param connectTimeoutMillis TCP connect timeout
 * @param requestTimeoutMillis total timeout of one request
 * @param catchUp what to do with overdue requests
 * @param metricsPort serve metrics on this port (0 any, -1 off)
 * @param pushgateway push final figures here at the end (null: off)
 * @param out result JSON file (null: none)
 * @param hdrLog HdrHistogram interval log (null: none)
 * @param thresholds checked at the end
 * @param abort early-stop conditions
 * @param progress how to show progress
 * @param drainSeconds how long to wait for in-flight requests after the last send
 * @param described the resolved settings as written to the result file's {@code config}
 */
public record RunConfig(
    RequestMix mix,
    RateProfile profile,
    ShardSpec shard,
    int connections,
    boolean http2,
    int maxInFlight,
    long maxConnectionAgeMillis,
    long idleTimeoutMillis,
    long connectTimeoutMillis,
    long requestTimeoutMillis,
    CatchUp catchUp,
    int metricsPort,
    String pushgateway,
    Path out,
    Path hdrLog,
    Thresholds thresholds,
    AbortRule abort,
    ProgressMode progress,
    double drainSeconds,
    Map<String, Object> described) {

  /** How progress is shown. */
  public enum ProgressMode {
    /** In place on a terminal, one line per interval otherwise. */
    AUTO,
    /** One line per interval. */
    LINES,
    /** Rewrite one line in place. */
    TTY,
    /** No progress lines (the summary is still printed). */
    OFF
  }
}
