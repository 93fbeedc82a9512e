package dev.surge.lab.pod;

/**
 * An HTTP GET probe of the pod template, as the kubelet runs it.
 *
 * @param path the path on the pod's HTTP port
 * @param periodSeconds how often
 * @param timeoutSeconds how long one attempt may take
 * @param failureThreshold consecutive failures that flip it to failed
 */
public record Probe(
    String path, double periodSeconds, double timeoutSeconds, int failureThreshold) {
  public Probe {
    if (!(periodSeconds > 0) || !(timeoutSeconds > 0) || failureThreshold < 1) {
      throw new IllegalArgumentException(
          "probe " + path + " needs periodSeconds > 0, timeoutSeconds > 0, failureThreshold >= 1");
    }
  }
}
