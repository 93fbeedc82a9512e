package dev.surge.loadgen.shard;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which share of the load this process sends: shard {@code index} (0-based) of {@code count}. Each
 * shard sends every count-th request of the whole schedule (see {@code Schedule.shard}), so N
 * shards together send exactly the whole profile, each at rate/N.
 *
 * <p>From {@code --shard i/N}, or from a Kubernetes Indexed Job: {@code JOB_COMPLETION_INDEX} (the
 * pod's index) plus {@code --shards N}.
 */
public record ShardSpec(int index, int count) {
  private static final Pattern FORM = Pattern.compile("(\\d+)/(\\d+)");

  /** The single shard: the whole load. */
  public static final ShardSpec WHOLE = new ShardSpec(0, 1);

  public ShardSpec {
    if (count < 1) {
      throw new IllegalArgumentException("shard count must be >= 1, got " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "shard index must be 0.." + (count - 1) + " for " + count + " shards, got " + index);
    }
  }

  /**
   * Parses {@code i/N} (0-based index).
   *
   * @throws IllegalArgumentException naming the text
   */
  public static ShardSpec parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a shard (use i/N with 0 <= i < N, e.g. 0/4)");
    }
    try {
      return new ShardSpec(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a shard (numbers too large)", e);
    }
  }

  /**
   * Resolves the shard from the flags and the environment: {@code --shard} wins; else {@code
   * --shards N} with {@code JOB_COMPLETION_INDEX}; else the whole load.
   *
   * @param shard the --shard value or null
   * @param shards the --shards value or null
   */
  public static ShardSpec resolve(String shard, Integer shards, Map<String, String> env) {
    if (shard != null && !shard.isBlank()) {
      ShardSpec s = parse(shard);
      if (shards != null && shards != s.count()) {
        throw new IllegalArgumentException("--shards " + shards + " contradicts --shard " + shard);
      }
      return s;
    }
    String idx = env.get("JOB_COMPLETION_INDEX");
    if (shards == null) {
      return WHOLE;
    }
    if (shards < 1) {
      throw new IllegalArgumentException("--shards must be >= 1, got " + shards);
    }
    if (idx == null || idx.isBlank()) {
      if (shards == 1) {
        return WHOLE;
      }
      throw new IllegalArgumentException(
          "--shards "
              + shards
              + " needs JOB_COMPLETION_INDEX (set by an Indexed Job) or --shard i/N");
    }
    try {
      return new ShardSpec(Integer.parseInt(idx.trim()), shards);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("JOB_COMPLETION_INDEX '" + idx + "' is not a number", e);
    }
  }

  /** Share of the whole rate this shard sends. */
  public double share() {
    return 1.0 / count;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
