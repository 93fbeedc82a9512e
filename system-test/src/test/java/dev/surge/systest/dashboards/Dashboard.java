package dev.surge.systest.dashboards;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One Grafana dashboard file of {@code dashboards/}, parsed strictly (duplicate keys and trailing
 * content are errors), with accessors for what the tests look at: panels (rows' nested panels
 * included), variables, targets.
 *
 * <pre>{@code
 * List<Dashboard> all = Dashboard.loadAll(RepoPaths.resolve("dashboards"));
 * all.get(0).panels().forEach(p -> ...);
 * }</pre>
 *
 * @param file the JSON file
 * @param json its root object
 */
public record Dashboard(Path file, JsonNode json) {
  static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /**
   * Every {@code *.json} directly in {@code dir}, sorted by file name; fails naming a file that is
   * not valid JSON.
   */
  public static List<Dashboard> loadAll(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted()
          .map(Dashboard::load)
          .toList();
    } catch (IOException e) {
      throw new AssertionError("cannot list " + dir, e);
    }
  }

  /** Parses one file strictly. */
  public static Dashboard load(Path file) {
    try {
      JsonNode json = STRICT.readTree(file.toFile());
      if (json == null || !json.isObject()) {
        throw new AssertionError(file + " is not a JSON object");
      }
      return new Dashboard(file, json);
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The dashboard's {@code uid}. */
  public String uid() {
    return json.path("uid").asText("");
  }

  /** The dashboard's {@code title}. */
  public String title() {
    return json.path("title").asText("");
  }

  /** File name, for messages. */
  public String fileName() {
    return file.getFileName().toString();
  }

  /** Every panel, including those nested in (collapsed) rows, rows themselves included. */
  public List<JsonNode> panels() {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode p : json.path("panels")) {
      all.add(p);
      for (JsonNode nested : p.path("panels")) {
        all.add(nested);
      }
    }
    return all;
  }

  /** Panels that are not rows (the ones that show data). */
  public List<JsonNode> dataPanels() {
    return panels().stream().filter(p -> !"row".equals(p.path("type").asText())).toList();
  }

  /** The template variables. */
  public List<JsonNode> variables() {
    List<JsonNode> vars = new ArrayList<>();
    json.path("templating").path("list").forEach(vars::add);
    return vars;
  }

  /** The variable named {@code name}, if declared. */
  public Optional<JsonNode> variable(String name) {
    return variables().stream().filter(v -> name.equals(v.path("name").asText())).findFirst();
  }

  /** Annotation queries other than Grafana's built-in one. */
  public List<JsonNode> queryAnnotations() {
    List<JsonNode> list = new ArrayList<>();
    for (JsonNode a : json.path("annotations").path("list")) {
      if (a.path("builtIn").asInt(0) != 1) {
        list.add(a);
      }
    }
    return list;
  }

  @Override
  public String toString() {
    return fileName();
  }
}
