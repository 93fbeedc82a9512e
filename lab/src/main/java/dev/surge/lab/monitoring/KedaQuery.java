package dev.surge.lab.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A KEDA {@code prometheus} trigger's query, as KEDA's Prometheus scaler runs it: the query must
 * return one element (a vector of one sample, or a scalar); an empty result is 0 with {@code
 * ignoreNullValues: true} (the default) and an error otherwise; more than one element is an error.
 *
 * @param metricName the External metric KEDA's HPA reads ({@code s<i>-prometheus}, as {@code
 *     KedaTranslator} names it)
 * @param query the trigger's {@code metadata.query}
 * @param ignoreNullValues {@code metadata.ignoreNullValues}
 */
public record KedaQuery(String metricName, String query, boolean ignoreNullValues) {
  /** The prometheus triggers of a ScaledObject, by External metric name. */
  public static Map<String, KedaQuery> of(ObjectNode scaledObject) {
    Map<String, KedaQuery> queries = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode t : scaledObject.path("spec").path("triggers")) {
      if ("prometheus".equals(t.path("type").asText())) {
        String name = "s" + i + "-prometheus";
        JsonNode md = t.path("metadata");
        String query = md.path("query").asText("");
        if (query.isEmpty()) {
          throw new IllegalArgumentException(
              "ScaledObject spec.triggers[" + i + "] (prometheus) has no metadata.query");
        }
        queries.put(
            name,
            new KedaQuery(
                name, query, !"false".equals(md.path("ignoreNullValues").asText("true"))));
      }
      i++;
    }
    return queries;
  }
}
