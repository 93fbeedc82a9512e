package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * No pod in the overlay's namespaces fails to pull its image: a container waiting with reason
 * {@code ErrImagePull}, {@code ImagePullBackOff}, {@code InvalidImageName} or {@code
 * ErrImageNeverPull}, or a kubelet event on a pod that still has a container not running ({@code
 * Failed: Failed to pull image "..."}, {@code BackOff: Back-off pulling image "..."}). One line per
 * namespace when all is well, one per failing image otherwise, with the registry's error from the
 * event.
 */
final class ImagePullCheck implements Check {
  private static final Set<String> PULL_ERRORS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod");
  private static final Pattern IMAGE_IN_MESSAGE =
      Pattern.compile("(?:Failed to pull image|Back-off pulling image) \"([^\"]+)\"");

  /** One image that cannot be pulled: which pods, and the most telling message. */
  private static final class Failure {
    final Set<String> pods = new TreeSet<>();
    String message = "";
  }

  @Override
  public String name() {
    return "image";
  }

  @Override
  public List<CheckResult> run(Overlay overlay, Cluster cluster) {
    Set<String> namespaces = new LinkedHashSet<>();
    for (JsonNode o : overlay.objects()) {
      if (WORKLOADS.contains(K8s.kind(o))) {
        namespaces.add(overlay.namespaceOf(o));
      }
    }
    List<CheckResult> results = new ArrayList<>();
    for (String ns : namespaces) {
      results.addAll(check(ns, cluster));
    }
    return results;
  }

  private List<CheckResult> check(String ns, Cluster cluster) {
    List<JsonNode> pods = cluster.list("pods", ns, null);
    Map<String, Failure> failures = new LinkedHashMap<>();
    Map<String, Set<String>> notRunningImages = new LinkedHashMap<>();
    for (JsonNode pod : pods) {
      String podName = K8s.name(pod);
      Set<String> notRunning = new LinkedHashSet<>();
      for (JsonNode st : statuses(pod)) {
        JsonNode waiting = st.path("state").path("waiting");
        if (!st.path("state").has("running")) {
          notRunning.add(st.path("image").asText());
        }
        if (waiting.isObject() && PULL_ERRORS.contains(waiting.path("reason").asText())) {
          Failure f = failures.computeIfAbsent(st.path("image").asText(), i -> new Failure());
          f.pods.add(podName);
          if (f.message.isEmpty()) {
            f.message = waiting.path("reason").asText() + ": " + waiting.path("message").asText();
          }
        }
      }
      notRunningImages.put(podName, notRunning);
    }
    for (JsonNode event : cluster.list("events", ns, null)) {
      JsonNode involved = event.path("involvedObject");
      if (!"Pod".equals(involved.path("kind").asText())) {
        continue;
      }
      Matcher m = IMAGE_IN_MESSAGE.matcher(event.path("message").asText());
      if (!m.find()) {
        continue;
      }
      String image = m.group(1);
      String pod = involved.path("name").asText();
      if (!notRunningImages.getOrDefault(pod, Set.of()).contains(image)) {
        continue; // an old event: the pod is gone or runs that image now
      }
      Failure f = failures.computeIfAbsent(image, i -> new Failure());
      f.pods.add(pod);
      if (event.path("message").asText().startsWith("Failed to pull image")) {
        f.message = event.path("message").asText(); // the registry's own words
      } else if (f.message.isEmpty()) {
        f.message = event.path("message").asText();
      }
    }
    if (failures.isEmpty()) {
      return List.of(
          CheckResult.ok(
              name(),
              "namespace " + ns,
              pods.isEmpty()
                  ? "no pods yet (nothing applied, or nothing running): no image pull errors"
                  : "no image pull errors in " + pods.size() + " pods"));
    }
    List<CheckResult> results = new ArrayList<>();
    failures.forEach(
        (image, f) ->
            results.add(
                CheckResult.missing(
                    name(),
                    "image " + image,
                    "cannot be pulled by pod "
                        + String.join(", ", f.pods)
                        + " in "
                        + ns
                        + ": "
                        + f.message.strip(),
                    Images.fix(image))));
    return results;
  }

  private static List<JsonNode> statuses(JsonNode pod) {
    List<JsonNode> all = new ArrayList<>();
    pod.path("status").path("initContainerStatuses").forEach(all::add);
    pod.path("status").path("containerStatuses").forEach(all::add);
    return all;
  }
}
