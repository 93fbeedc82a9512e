package dev.surge.cluster.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The test copy of the repository's example {@code alertmanager.yml}: the routing tree and inhibit
 * rules exactly as shipped, every receiver's integrations (Slack, PagerDuty, e-mail ... with
 * credentials from files) replaced by one webhook to a local URL, and the grouping timers ({@code
 * group_wait}, {@code group_interval}, {@code repeat_interval}) shortened so that a test sees the
 * first notification within seconds. Templates and the {@code global} section (SMTP hosts, API
 * URLs, secret files) only serve the replaced integrations and are dropped.
 *
 * <pre>{@code
 * String yaml = AlertmanagerConfigs.testCopy(Path.of("k8s/alertmanager/alertmanager.yml"), hooks::urlFor);
 * }</pre>
 */
public final class AlertmanagerConfigs {
  private static final YAMLMapper YAML = new YAMLMapper();

  private AlertmanagerConfigs() {}

  /**
   * Reads {@code file} and returns the test copy's YAML, with each receiver posting to {@code
   * urlForReceiver}.
   */
  public static String testCopy(Path file, UnaryOperator<String> urlForReceiver) {
    try {
      return testCopy((ObjectNode) YAML.readTree(file.toFile()), urlForReceiver);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The test copy of an already parsed config (resolved alerts are not sent). */
  public static String testCopy(ObjectNode config, UnaryOperator<String> urlForReceiver) {
    return withWebhooks(config, urlForReceiver, false, true);
  }

  /**
   * The config with each receiver's integrations replaced by one webhook to {@code
   * urlForReceiver.apply(name)}; routes and inhibit rules as shipped.
   *
   * @param sendResolved whether resolved alerts are sent too
   * @param shortTimers whether {@code group_wait}, {@code group_interval} and {@code
   *     repeat_interval} become 1s, 1s and 1m (the lab's {@code --fast}); the shipped ones
   *     otherwise
   */
  public static String withWebhooks(
      ObjectNode config,
      UnaryOperator<String> urlForReceiver,
      boolean sendResolved,
      boolean shortTimers) {
    ObjectNode copy = config.deepCopy();
    copy.remove("global");
    copy.remove("templates");
    ArrayNode receivers = YAML.createArrayNode();
    for (String name : receiverNames(config)) {
      ObjectNode receiver = receivers.addObject().put("name", name);
      receiver
          .putArray("webhook_configs")
          .addObject()
          .put("url", urlForReceiver.apply(name))
          .put("send_resolved", sendResolved);
    }
    copy.set("receivers", receivers);
    JsonNode route = copy.path("route");
    if (!route.isObject()) {
      throw new IllegalArgumentException("the Alertmanager config has no route");
    }
    if (shortTimers) {
      shortenTimers((ObjectNode) route, true);
    }
    try {
      return YAML.writeValueAsString(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the Alertmanager config", e);
    }
  }

  /** Names of the receivers declared in {@code config}. */
  public static List<String> receiverNames(JsonNode config) {
    List<String> names = new ArrayList<>();
    config.path("receivers").forEach(r -> names.add(r.path("name").asText()));
    return names;
  }

  private static void shortenTimers(ObjectNode route, boolean root) {
    // The root route always gets short timers (Alertmanager's defaults are 30s / 5m / 4h); child
    // routes only where
    // they override them.
    if (root || route.has("group_wait")) {
      route.put("group_wait", "1s");
    }
    if (root || route.has("group_interval")) {
      route.put("group_interval", "1s");
    }
    if (root || route.has("repeat_interval")) {
      route.put("repeat_interval", "1m");
    }
    for (JsonNode child : route.path("routes")) {
      shortenTimers((ObjectNode) child, false);
    }
  }
}
