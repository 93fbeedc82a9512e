package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Secrets an overlay's objects need from the cluster, with the keys they read and who reads
 * them. From pod templates (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod):
 * {@code volumes[].secret}, {@code volumes[].projected.sources[].secret}, {@code
 * env[].valueFrom.secretKeyRef}, {@code envFrom[].secretRef} and {@code imagePullSecrets}; a Secret
 * that every ref marks {@code optional: true} is {@link Needed#optional()} (the pod starts without
 * it). From AlertmanagerConfigs: every {@code SecretKeySelector} ({@code {name, key}}) in {@code
 * spec.receivers}, which the operator must resolve or it rejects the whole config. A Secret the
 * overlay renders itself is not needed from the cluster.
 */
final class SecretRefs {
  /**
   * One Secret: where, which keys (empty: the whole Secret), who needs it, and whether every ref to
   * it is optional.
   */
  record Needed(
      String namespace, String name, Set<String> keys, Set<String> usedBy, boolean optional) {}

  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod");

  private SecretRefs() {}

  static List<Needed> of(Overlay overlay) {
    Map<String, Needed> needed = new LinkedHashMap<>();
    for (JsonNode o : overlay.objects()) {
      String kind = K8s.kind(o);
      String ns = overlay.namespaceOf(o);
      String user = kind + " " + K8s.name(o);
      if (WORKLOADS.contains(kind)) {
        fromPod(podSpec(o), ns, user, needed);
      } else if (kind.equals("AlertmanagerConfig")) {
        fromSelectors(o.path("spec").path("receivers"), "", ns, user, needed);
      }
    }
    return needed.values().stream()
        .filter(n -> !overlay.creates("Secret", n.namespace(), n.name()))
        .toList();
  }

  private static JsonNode podSpec(JsonNode o) {
    return switch (K8s.kind(o)) {
      case "Pod" -> o.path("spec");
      case "CronJob" ->
          o.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
      default -> o.path("spec").path("template").path("spec");
    };
  }

  private static void fromPod(JsonNode pod, String ns, String user, Map<String, Needed> out) {
    for (JsonNode v : pod.path("volumes")) {
      JsonNode s = v.path("secret");
      if (s.isObject()) {
        add(out, ns, s.path("secretName").asText(), keys(s.path("items")), user, optional(s));
      }
      for (JsonNode src : v.path("projected").path("sources")) {
        JsonNode ps = src.path("secret");
        if (ps.isObject()) {
          add(out, ns, ps.path("name").asText(), keys(ps.path("items")), user, optional(ps));
        }
      }
    }
    List<JsonNode> containers = new ArrayList<>();
    pod.path("initContainers").forEach(containers::add);
    pod.path("containers").forEach(containers::add);
    for (JsonNode c : containers) {
      for (JsonNode e : c.path("env")) {
        JsonNode ref = e.path("valueFrom").path("secretKeyRef");
        if (ref.isObject()) {
          add(
              out,
              ns,
              ref.path("name").asText(),
              Set.of(ref.path("key").asText()),
              user,
              optional(ref));
        }
      }
      for (JsonNode e : c.path("envFrom")) {
        JsonNode ref = e.path("secretRef");
        if (ref.isObject()) {
          add(out, ns, ref.path("name").asText(), Set.of(), user, optional(ref));
        }
      }
    }
    for (JsonNode s : pod.path("imagePullSecrets")) {
      add(out, ns, s.path("name").asText(), Set.of(), user + " (imagePullSecrets)", false);
    }
  }

  /** Every {@code {name, key}} object below {@code node}, except under a {@code configMap}. */
  private static void fromSelectors(
      JsonNode node, String field, String ns, String user, Map<String, Needed> out) {
    if (field.equals("configMap")) {
      return;
    }
    if (node.isObject()) {
      if (node.size() <= 3
          && node.path("name").isTextual()
          && node.path("key").isTextual()
          && !field.isEmpty()) {
        add(
            out,
            ns,
            node.path("name").asText(),
            Set.of(node.path("key").asText()),
            user,
            optional(node));
        return;
      }
      node.properties().forEach(e -> fromSelectors(e.getValue(), e.getKey(), ns, user, out));
    } else if (node.isArray()) {
      node.forEach(n -> fromSelectors(n, field, ns, user, out));
    }
  }

  private static Set<String> keys(JsonNode items) {
    Set<String> keys = new LinkedHashSet<>();
    items.forEach(i -> keys.add(i.path("key").asText()));
    return keys;
  }

  private static boolean optional(JsonNode ref) {
    return ref.path("optional").asBoolean(false);
  }

  private static void add(
      Map<String, Needed> out,
      String ns,
      String name,
      Set<String> keys,
      String user,
      boolean optional) {
    if (name.isEmpty()) {
      return;
    }
    Needed n =
        out.computeIfAbsent(
            ns + "/" + name,
            k -> new Needed(ns, name, new LinkedHashSet<>(), new LinkedHashSet<>(), optional));
    if (n.optional() && !optional) {
      n = new Needed(ns, name, n.keys(), n.usedBy(), false); // one required ref makes it required
      out.put(ns + "/" + name, n);
    }
    n.keys().addAll(keys);
    n.usedBy().add(user);
  }
}
