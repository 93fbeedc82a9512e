package dev.surge.loadgen.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every Secret the overlay needs ({@link SecretRefs}) exists in its namespace with the keys that
 * are read from it. A pod whose Secret volume is missing waits in {@code ContainerCreating}; an
 * AlertmanagerConfig whose Secret is missing is rejected by the operator. A Secret every ref marks
 * optional may be absent: that line is ok and says how to create it (the app's admin token: its
 * admin endpoints stay locked without it). Only key names are read, never values.
 */
final class SecretCheck implements Check {
  @Override
  public String name() {
    return "secret";
  }

  @Override
  public List<CheckResult> run(Overlay overlay, Cluster cluster) {
    List<CheckResult> results = new ArrayList<>();
    for (SecretRefs.Needed n : SecretRefs.of(overlay)) {
      String subject = "Secret " + n.namespace() + "/" + n.name();
      String users = "needed by " + String.join(", ", n.usedBy());
      Optional<JsonNode> secret = cluster.get("secrets", n.namespace(), n.name());
      if (secret.isEmpty() && n.optional()) {
        results.add(
            CheckResult.ok(
                name(),
                subject,
                "absent, and optional: "
                    + String.join(", ", n.usedBy())
                    + " starts without it; to use it: "
                    + create(n, n.keys())));
        continue;
      }
      if (secret.isEmpty()) {
        results.add(
            CheckResult.missing(name(), subject, "does not exist; " + users, create(n, n.keys())));
        continue;
      }
      Set<String> has = new java.util.TreeSet<>();
      secret.get().path("data").fieldNames().forEachRemaining(has::add);
      List<String> lacking = n.keys().stream().filter(k -> !has.contains(k)).toList();
      if (lacking.isEmpty()) {
        results.add(
            CheckResult.ok(
                name(),
                subject,
                (n.keys().isEmpty() ? "exists" : "has " + String.join(", ", n.keys()))
                    + "; "
                    + users));
      } else {
        results.add(
            CheckResult.missing(
                name(),
                subject,
                "has no key " + String.join(", ", lacking) + "; " + users,
                patch(n, lacking)));
      }
    }
    return results;
  }

  /** {@code kubectl -n ns create secret generic name --from-literal=key=...} for every key. */
  private static String create(SecretRefs.Needed n, Set<String> keys) {
    StringBuilder b =
        new StringBuilder("kubectl -n " + n.namespace() + " create secret generic " + n.name());
    for (String key : keys) {
      b.append(" --from-literal=").append(key).append('=').append(value(key));
    }
    return b.toString();
  }

  private static String patch(SecretRefs.Needed n, List<String> keys) {
    List<String> pairs = new ArrayList<>();
    for (String k : keys) {
      pairs.add("\"" + k + "\":\"<" + k + ">\"");
    }
    return "kubectl -n "
        + n.namespace()
        + " patch secret "
        + n.name()
        + " --type merge -p "
        + Shell.quote("{\"stringData\":{" + String.join(",", pairs) + "}}");
  }

  /** A fresh random value for a token or password, a placeholder for a credential of yours. */
  private static String value(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if ((k.contains("token") && !k.contains("routing")) || k.contains("password")) {
      return "\"$(openssl rand -hex 32)\"";
    }
    return "'<" + key + ">'";
  }
}
