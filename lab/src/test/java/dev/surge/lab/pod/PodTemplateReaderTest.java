package dev.surge.lab.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PodTemplateReaderTest {
  static final String YAML =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: surge
      spec:
        template:
          spec:
            terminationGracePeriodSeconds: 30
            containers:
              - name: app
                args: ["--port", "8080", "--metrics-port=8081", "--drain-delay", "5s",
                       "--admin-token-file", "/var/run/secrets/surge/no-such-token", "--metrics"]
                env:
                  - name: JAVA_TOOL_OPTIONS
                    value: -XX:MaxRAMPercentage=50.0
                resources:
                  requests: {cpu: 250m, memory: 512Mi}
                  limits: {memory: 512Mi}
                startupProbe:
                  httpGet: {path: /healthz, port: http}
                  periodSeconds: 2
                readinessProbe:
                  httpGet: {path: /readyz, port: http}
                  periodSeconds: 5
                  timeoutSeconds: 2
                  failureThreshold: 2
      """;

  @Test
  void readsTheContainerAsThePodRunsIt() {
    PodTemplate t = PodTemplateReader.read(YAML, "k8s/base", "surge");
    assertThat(t.args()).containsExactly("--drain-delay", "5s", "--metrics");
    assertThat(t.dropped())
        .containsExactly("--admin-token-file", "/var/run/secrets/surge/no-such-token");
    assertThat(t.javaToolOptions()).isEqualTo("-XX:MaxRAMPercentage=50.0");
    assertThat(t.cpuRequestMillicores()).isEqualTo(250);
    assertThat(t.memoryRequestBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(t.memoryLimitBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(t.startupProbe()).isEqualTo(new Probe("/healthz", 2, 1, 3));
    assertThat(t.readinessProbe()).isEqualTo(new Probe("/readyz", 5, 2, 2));
    assertThat(t.terminationGraceSeconds()).isEqualTo(30);
  }

  @Test
  void namesPodsAsAReplicaSetDoes() {
    PodTemplate t = PodTemplateReader.read(YAML, "k8s/base", "surge");
    assertThat(t.templateHash()).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
    assertThat(PodTemplateReader.read(YAML, "again", "surge").templateHash())
        .isEqualTo(t.templateHash());
    assertThat(PodTemplateReader.read(YAML.replace("5s", "6s"), "changed", "surge").templateHash())
        .isNotEqualTo(t.templateHash());
    assertThat(PodTemplateReader.suffix(new Random(1))).matches("[bcdfghjklmnpqrstvwxz2456789]{5}");
  }

  @Test
  void namesTheSourceWhenTheDeploymentIsAbsent() {
    assertThatThrownBy(() -> PodTemplateReader.read(YAML, "k8s/base", "other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k8s/base has no Deployment other (the HPA's scaleTargetRef)");
  }
}
