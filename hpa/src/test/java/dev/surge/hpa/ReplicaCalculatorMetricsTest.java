package dev.surge.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every metric source against upstream's vectors: each case is named after the test in
 * kubernetes/kubernetes {@code pkg/controller/podautoscaler/replica_calculator_test.go} it comes
 * from, with that test's pods, readiness, levels (milli-values), targets and tolerances.
 */
class ReplicaCalculatorMetricsTest {
  private static final double NOW = 0;
  private final ReplicaCalculator calc = ReplicaCalculator.defaults();

  /**
   * One upstream case.
   *
   * @param upstream the upstream test name (and sub-case)
   * @param metric the metric and its target
   * @param current current (spec and status) replicas
   * @param readiness each pod's Ready condition; the pod count
   * @param levels per-pod levels (Pods/Resource), or the object's / external series' values
   * @param requests per-pod requests (resource metrics), milli-values
   * @param tolerances the band
   * @param expectedReplicas upstream's expected count
   * @param expectedUsage upstream's expected usage (-1: not checked)
   */
  record Case(
      String upstream,
      MetricSpec metric,
      int current,
      boolean[] readiness,
      long[] levels,
      long[] requests,
      Tolerances tolerances,
      int expectedReplicas,
      long expectedUsage) {
    @Override
    public String toString() {
      return upstream;
    }
  }

  private static final Tolerances DEFAULT = Tolerances.of(0.1);

  private static boolean[] ready(int n) {
    boolean[] r = new boolean[n];
    java.util.Arrays.fill(r, true);
    return r;
  }

  private static Case pods(
      String name,
      int current,
      boolean[] ready,
      long[] levels,
      long target,
      Tolerances tol,
      int expected,
      long usage) {
    return new Case(
        name,
        MetricSpec.pods("qps", target),
        current,
        ready,
        levels,
        new long[0],
        tol,
        expected,
        usage);
  }

  private static Case object(
      String name,
      MetricSpec.TargetType type,
      int current,
      boolean[] ready,
      long level,
      long target,
      Tolerances tol,
      int expected,
      long usage) {
    return new Case(
        name,
        MetricSpec.object("qps", type, target),
        current,
        ready,
        new long[] {level},
        new long[0],
        tol,
        expected,
        usage);
  }

  private static Case external(
      String name,
      MetricSpec.TargetType type,
      int current,
      boolean[] ready,
      long level,
      long target,
      Tolerances tol,
      int expected,
      long usage) {
    return new Case(
        name,
        MetricSpec.external("qps", type, target),
        current,
        ready,
        new long[] {level},
        new long[0],
        tol,
        expected,
        usage);
  }

  private static Case cpu(
      String name, Tolerances tol, long[] levels, int expected, int expectedUtilization) {
    return new Case(
        name,
        MetricSpec.cpuUtilization(100),
        3,
        ready(3),
        levels,
        new long[] {900, 1000, 1100},
        tol,
        expected,
        expectedUtilization);
  }

  static Stream<Case> cases() {
    MetricSpec.TargetType value = MetricSpec.TargetType.VALUE;
    MetricSpec.TargetType avg = MetricSpec.TargetType.AVERAGE_VALUE;
    boolean[] ftf = {false, true, false};
    Tolerances upOnePercent = new Tolerances(0.1, 0.01);
    return Stream.of(
        // Pods metrics (calcPlainMetricReplicas): unready pods count, only CPU sets them aside
        pods(
            "TestReplicaCalcScaleUpCM",
            3,
            ready(3),
            new long[] {20000, 10000, 30000},
            15000,
            DEFAULT,
            4,
            20000),
        pods(
            "TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale",
            3,
            new boolean[] {true, true, false},
            new long[] {50000, 10000, 30000},
            15000,
            DEFAULT,
            6,
            30000),
        pods(
            "TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown",
            3,
            ftf,
            new long[] {50000, 15000, 30000},
            15000,
            DEFAULT,
            7,
            31666),
        pods(
            "TestReplicaCalcScaleDownCM",
            5,
            ready(5),
            new long[] {12000, 12000, 12000, 12000, 12000},
            20000,
            DEFAULT,
            3,
            12000),
        pods(
            "TestReplicaCalcToleranceCM",
            3,
            ready(3),
            new long[] {20000, 21000, 21000},
            20000,
            DEFAULT,
            3,
            20666),
        pods(
            "TestReplicaCalcConfigurableToleranceCM",
            3,
            ready(3),
            new long[] {20000, 21000, 21000},
            20000,
            upOnePercent,
            4,
            20666),
        pods(
            "TestPlainMetricReplicaCalcMissingMetricsNoChangeEq",
            5,
            ready(5),
            new long[] {20000, 19000, 21000},
            20000,
            DEFAULT,
            5,
            20000),
        // missing pod on a scale-down counts at exactly the target, then the direction check holds
        pods(
            "TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM",
            2,
            ready(3),
            new long[] {10000, 10000},
            17000,
            DEFAULT,
            2,
            10000),
        // Object, Value target: ratio × ready pods
        object(
            "TestReplicaCalcScaleUpCMObject", value, 3, ready(3), 20000, 15000, DEFAULT, 4, 20000),
        object(
            "TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods",
            value,
            3,
            ftf,
            50000,
            10000,
            DEFAULT,
            5,
            50000),
        object(
            "TestReplicaCalcScaleDownCMObject",
            value,
            5,
            ready(5),
            12000,
            20000,
            DEFAULT,
            3,
            12000),
        object(
            "TestReplicaCalcToleranceCMObject",
            value,
            3,
            ready(3),
            20666,
            20000,
            DEFAULT,
            3,
            20666),
        object(
            "TestReplicaCalcConfigurableToleranceCMObject",
            value,
            3,
            ready(3),
            20666,
            20000,
            upOnePercent,
            4,
            20666),
        // Object, AverageValue target: ceil(total / per-pod target)
        object(
            "TestReplicaCalcScaleUpCMPerPodObject",
            avg,
            3,
            ready(3),
            20000,
            5000,
            DEFAULT,
            4,
            6667),
        object(
            "TestReplicaCalcScaleDownPerPodCMObject",
            avg,
            5,
            ready(5),
            6000,
            2000,
            DEFAULT,
            3,
            1200),
        object(
            "TestReplicaCalcTolerancePerPodCMObject",
            avg,
            4,
            ready(4),
            20166,
            5000,
            DEFAULT,
            4,
            5042),
        object(
            "TestReplicaCalcConfigurableTolerancePerPodCMObject",
            avg,
            4,
            ready(4),
            20208,
            5000,
            upOnePercent,
            5,
            5052),
        // External, Value target
        external(
            "TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods",
            value,
            3,
            ftf,
            8600,
            4400,
            DEFAULT,
            2,
            8600),
        external(
            "TestReplicaCalcScaleDownCMExternal",
            value,
            5,
            ready(5),
            8600,
            14334,
            DEFAULT,
            3,
            8600),
        external(
            "TestReplicaCalcToleranceCMExternal", value, 3, ready(3), 8600, 8888, DEFAULT, 3, 8600),
        external(
            "TestReplicaCalcConfigurableToleranceCMExternal",
            value,
            3,
            ready(3),
            8900,
            8800,
            upOnePercent,
            4,
            8900),
        // External, AverageValue target (KEDA's default)
        external(
            "TestReplicaCalcScaleUpPerPodCMExternal",
            avg,
            3,
            ready(3),
            8600,
            2150,
            DEFAULT,
            4,
            2867),
        external(
            "TestReplicaCalcScaleDownPerPodCMExternal",
            avg,
            5,
            ready(5),
            8600,
            2867,
            DEFAULT,
            3,
            1720),
        external(
            "TestReplicaCalcTolerancePerPodCMExternal",
            avg,
            3,
            ready(3),
            8600,
            2900,
            DEFAULT,
            3,
            2867),
        external(
            "TestReplicaCalcConfigurableTolerancePerPodCMExternal",
            avg,
            3,
            ready(3),
            8600,
            2800,
            upOnePercent,
            4,
            2867),
        external(
            "TestExternalPerPodMetricReplicaOverflow",
            avg,
            1,
            ready(1),
            Long.MAX_VALUE,
            1,
            DEFAULT,
            Integer.MAX_VALUE,
            Long.MAX_VALUE),
        // Resource cpu with per-direction tolerances
        cpu(
            "TestReplicaCalcConfigurableTolerance/Outside of a 0% tolerance",
            Tolerances.of(0), new long[] {909, 1010, 1111}, 4, 101),
        cpu(
            "TestReplicaCalcConfigurableTolerance/Within a 200% scale-up tolerance",
            new Tolerances(0.1, 2), new long[] {1890, 1910, 1900}, 3, 190),
        cpu(
            "TestReplicaCalcConfigurableTolerance/Outside 8% scale-up tolerance",
            new Tolerances(2, 0.08), new long[] {1100, 1080, 1090}, 4, 109),
        cpu(
            "TestReplicaCalcConfigurableTolerance/Within a 36% scale-down tolerance",
            new Tolerances(0.36, 0.1), new long[] {660, 640, 650}, 3, 65),
        cpu(
            "TestReplicaCalcConfigurableTolerance/Outside a 34% scale-down tolerance",
            new Tolerances(0.34, 0.1), new long[] {660, 640, 650}, 2, 65),
        // ContainerResource: the same arithmetic on one container's usage and request
        new Case(
            "TestReplicaCalcScaleUpContainer",
            new MetricSpec(
                MetricSpec.Source.CONTAINER_RESOURCE,
                "cpu",
                Optional.of("app"),
                MetricSpec.TargetType.UTILIZATION,
                30),
            3,
            ready(3),
            new long[] {300, 500, 700},
            new long[] {1000, 1000, 1000},
            DEFAULT,
            5,
            50),
        // Resource AverageValue (GetRawResourceReplicas → calcPlainMetricReplicas)
        new Case(
            "GetRawResourceReplicas: cpu averageValue 250m",
            new MetricSpec(
                MetricSpec.Source.RESOURCE,
                "cpu",
                Optional.empty(),
                MetricSpec.TargetType.AVERAGE_VALUE,
                250),
            3,
            ready(3),
            new long[] {300, 500, 700},
            new long[] {1000, 1000, 1000},
            DEFAULT,
            6,
            500));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesUpstream(Case c) throws Exception {
    List<PodState> pods = new ArrayList<>();
    Map<String, Long> perPod = new HashMap<>();
    Map<String, Long> requests = new HashMap<>();
    for (int i = 0; i < c.readiness().length; i++) {
      String name = "test-pod-" + i;
      // Long ready (or long unready after having been ready): only readiness differs.
      pods.add(
          new PodState(
              name,
              PodState.Phase.RUNNING,
              false,
              -3600,
              Optional.of(c.readiness()[i]),
              -1800,
              i < c.requests().length ? c.requests()[i] : 0,
              Optional.empty()));
      boolean perPodMetric =
          c.metric().source() != MetricSpec.Source.OBJECT
              && c.metric().source() != MetricSpec.Source.EXTERNAL;
      if (perPodMetric && i < c.levels().length) {
        perPod.put(name, c.levels()[i]);
      }
      if (i < c.requests().length) {
        requests.put(name, c.requests()[i]);
      }
    }
    MetricReadings readings =
        new MetricReadings() {
          @Override
          public Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
            return Optional.ofNullable(perPod.get(pod.name()))
                .map(v -> new PodState.Metric(v, NOW, 60));
          }

          @Override
          public long podRequest(MetricSpec metric, PodState pod) {
            return requests.getOrDefault(pod.name(), 0L);
          }

          @Override
          public OptionalLong objectValue(MetricSpec metric) {
            return OptionalLong.of(c.levels()[0]);
          }

          @Override
          public OptionalLong externalValue(MetricSpec metric) {
            return OptionalLong.of(c.levels()[0]);
          }
        };
    ReplicaCalculator.MetricResult r =
        calc.replicas(c.current(), c.current(), c.metric(), pods, readings, NOW, c.tolerances());
    assertThat(r.replicas()).as("replicas").isEqualTo(c.expectedReplicas());
    assertThat(r.current()).as("usage").isEqualTo(c.expectedUsage());
  }

  static Stream<Arguments> memoryIgnoresReadiness() {
    return Stream.of(Arguments.of(true), Arguments.of(false));
  }

  /**
   * TestGroupPods "count in a ready pod - memory": readiness only sets CPU samples aside; a
   * starting pod's memory counts.
   */
  @ParameterizedTest(name = "ready={0}")
  @MethodSource("memoryIgnoresReadiness")
  void memoryCountsPodsWhateverTheirReadiness(boolean ready) throws Exception {
    long request = 1000L << 20;
    List<PodState> pods =
        List.of(
            new PodState(
                "a",
                PodState.Phase.RUNNING,
                false,
                NOW - 5,
                Optional.of(ready),
                NOW - 5,
                0,
                Optional.empty()),
            new PodState(
                "b",
                PodState.Phase.RUNNING,
                false,
                -3600,
                Optional.of(true),
                -3600,
                0,
                Optional.empty()));
    MetricReadings readings =
        new MetricReadings() {
          @Override
          public Optional<PodState.Metric> podSample(MetricSpec metric, PodState pod) {
            return Optional.of(new PodState.Metric(900L * (1 << 20) * 1000, NOW, 15));
          }

          @Override
          public long podRequest(MetricSpec metric, PodState pod) {
            return request * 1000;
          }

          @Override
          public OptionalLong objectValue(MetricSpec metric) {
            return OptionalLong.empty();
          }

          @Override
          public OptionalLong externalValue(MetricSpec metric) {
            return OptionalLong.empty();
          }
        };
    ReplicaCalculator.MetricResult r =
        calc.replicas(
            2, 2, MetricSpec.memoryUtilization(60), pods, readings, NOW, Tolerances.of(0.1));
    // both pods at 90 % of 60 %: ratio 1.5 → ceil(1.5 × 2) = 3, the starting pod included
    assertThat(r.current()).isEqualTo(90);
    assertThat(r.readyPods()).isEqualTo(2);
    assertThat(r.replicas()).isEqualTo(3);
  }
}
