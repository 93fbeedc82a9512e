package dev.surge.app.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import dev.surge.app.burn.CpuBurner;
import dev.surge.app.burn.MemoryBurner;
import dev.surge.app.http.Endpoint;
import dev.surge.app.http.HttpProblem;
import dev.surge.app.http.Params;
import java.time.Duration;

/**
 * {@code POST /admin/cpu {"millicores": N, "durationSeconds": N}} and {@code POST /admin/memory
 * {"mebibytes": N, "durationSeconds": N}} start a background burn (replacing a running one); {@code
 * DELETE} cancels it. Both answer with what is burning now. {@code durationSeconds} defaults to 60.
 */
public final class BurnEndpoints {
  static final long DEFAULT_DURATION_SECONDS = 60;

  private final CpuBurner cpu;
  private final MemoryBurner memory;

  public BurnEndpoints(CpuBurner cpu, MemoryBurner memory) {
    this.cpu = cpu;
    this.memory = memory;
  }

  public Endpoint startCpu() {
    return exchange -> {
      JsonNode body = exchange.readJsonObject();
      long millicores = Params.integer(body, "millicores", 1, cpu.maxMillicores(), null);
      Duration duration = duration(body, cpu.maxDuration());
      exchange.send(200, cpu.start((int) millicores, duration));
    };
  }

  public Endpoint cancelCpu() {
    return exchange -> exchange.send(200, cpu.cancel());
  }

  public Endpoint startMemory() {
    return exchange -> {
      JsonNode body = exchange.readJsonObject();
      if (memory.maxMebibytes() < 1) {
        throw new HttpProblem(409, "no room", "the heap is too small for a memory burn");
      }
      long mebibytes = Params.integer(body, "mebibytes", 1, memory.maxMebibytes(), null);
      Duration duration = duration(body, memory.maxDuration());
      exchange.send(200, memory.start((int) mebibytes, duration));
    };
  }

  public Endpoint cancelMemory() {
    return exchange -> exchange.send(200, memory.cancel());
  }

  private static Duration duration(JsonNode body, Duration max) {
    return Duration.ofSeconds(
        Params.integer(body, "durationSeconds", 1, max.toSeconds(), DEFAULT_DURATION_SECONDS));
  }
}
