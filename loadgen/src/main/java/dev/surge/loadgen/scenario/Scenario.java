package dev.surge.loadgen.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.surge.common.Durations;
import dev.surge.common.profile.RateProfile;
import dev.surge.loadgen.client.RequestTemplate;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scenario file ({@code --scenario FILE}, YAML or JSON): the load shape and a weighted mix of
 * requests. Example:
 *
 * <pre>
 * baseUrl: http://127.0.0.1:8080        # optional; request urls may then be paths
 * stages:                               # or: profile: "ramp:0->100/30s,hold:100/1m"; or: rate: 100 + duration: 1m
 *   - ramp:0->100/30s
 *   - hold:100/1m
 *   - ramp-down:100/30s
 * requests:
 *   - url: /api/work?cpuMillis=20
 *     weight: 3
 *   - method: POST
 *     url: /api/work?cpuMillis=5
 *     headers: {X-Test: scenario}
 *     body: '{"hello":"world"}'
 *     contentType: application/json
 *     weight: 1
 * </pre>
 *
 * @param profile the load shape, or null when the file gives none (the flags then decide)
 * @param mix the requests
 */
public record Scenario(RateProfile profile, RequestMix mix) {

  private static final ObjectMapper YAML =
      new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The file as written; validated by {@link #load}. */
  record File(
      @JsonProperty("baseUrl") String baseUrl,
      @JsonProperty("profile") String profile,
      @JsonProperty("stages") List<String> stages,
      @JsonProperty("rate") Double rate,
      @JsonProperty("duration") String duration,
      @JsonProperty("requests") List<Req> requests) {}

  /** One request entry of the file. */
  record Req(
      @JsonProperty("method") String method,
      @JsonProperty("url") String url,
      @JsonProperty("headers") Map<String, String> headers,
      @JsonProperty("body") String body,
      @JsonProperty("contentType") String contentType,
      @JsonProperty("weight") Double weight) {}

  /**
   * Reads and validates a scenario file (YAML; JSON is valid YAML).
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  public static Scenario load(Path path) {
    File f;
    try {
      f = YAML.readValue(Files.readString(path, StandardCharsets.UTF_8), File.class);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("scenario file " + path + " does not exist", e);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(
          "scenario file " + path + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "scenario file " + path + " is not valid YAML/JSON: " + firstLine(e), e);
    }
    if (f == null) {
      throw new IllegalArgumentException("scenario file " + path + " is empty");
    }
    try {
      return new Scenario(profileOf(f), mixOf(f));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("scenario file " + path + ": " + e.getMessage(), e);
    }
  }

  private static RateProfile profileOf(File f) {
    int given =
        (f.profile() != null ? 1 : 0) + (f.stages() != null ? 1 : 0) + (f.rate() != null ? 1 : 0);
    if (given > 1) {
      throw new IllegalArgumentException("give only one of profile, stages, rate");
    }
    if (f.profile() != null) {
      return RateProfile.parse(f.profile());
    }
    if (f.stages() != null) {
      return RateProfile.parse(String.join(",", f.stages()));
    }
    if (f.rate() != null) {
      if (f.duration() == null) {
        throw new IllegalArgumentException("rate needs a duration");
      }
      return RateProfile.constant(f.rate(), Durations.parseSeconds(f.duration()));
    }
    return null;
  }

  private static RequestMix mixOf(File f) {
    if (f.requests() == null || f.requests().isEmpty()) {
      throw new IllegalArgumentException("requests: at least one request is needed");
    }
    List<RequestMix.Weighted> out = new ArrayList<>();
    for (int i = 0; i < f.requests().size(); i++) {
      Req r = f.requests().get(i);
      String where = "requests[" + i + "]";
      if (r.url() == null) {
        throw new IllegalArgumentException(where + ": url is missing");
      }
      String url = r.url();
      if (f.baseUrl() != null && !url.contains("://")) {
        URI base = RequestTemplate.parseUrl(f.baseUrl());
        url = base.resolve(url).toString();
      }
      URI uri;
      try {
        uri = RequestTemplate.parseUrl(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".url: " + e.getMessage(), e);
      }
      List<RequestTemplate.Header> headers = new ArrayList<>();
      if (r.headers() != null) {
        r.headers().forEach((k, v) -> headers.add(new RequestTemplate.Header(k, v)));
      }
      byte[] body = r.body() == null ? null : r.body().getBytes(StandardCharsets.UTF_8);
      double weight = r.weight() == null ? 1.0 : r.weight();
      out.add(
          new RequestMix.Weighted(
              new RequestTemplate(r.method(), uri, headers, body, r.contentType()), weight));
    }
    return RequestMix.of(out);
  }

  private static String firstLine(IOException e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
