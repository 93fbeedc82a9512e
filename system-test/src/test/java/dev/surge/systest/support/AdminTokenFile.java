package dev.surge.systest.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Stands in for the kubelet's Secret volume when a test runs the app with a Deployment's env: if
 * the env sets {@code SURGE_ADMIN_TOKEN_FILE} (the {@code admin-token} component), checks that the
 * path lies in a read-only mount of the {@code surge-admin-token} Secret, writes a fresh random
 * token to a temporary file, points the variable at it and returns the token for the test's admin
 * requests.
 *
 * <pre>{@code
 * Map<String, String> env = new HashMap<>(K8sWiringIT.env(container));
 * String token = AdminTokenFile.localize(deployment, container, env); // null: no token configured
 * Http.putJson(uri, json, token);
 * }</pre>
 */
public final class AdminTokenFile {
  /** The variable the app reads ({@code --admin-token-file}). */
  public static final String ENV = "SURGE_ADMIN_TOKEN_FILE";

  /** The Secret the user creates (k8s/README.md). */
  public static final String SECRET = "surge-admin-token";

  private AdminTokenFile() {}

  /**
   * Replaces the token file path in {@code env} (mutable) by a local file with a new token.
   *
   * @return the token, or null when the env configures none
   */
  public static String localize(JsonNode deployment, JsonNode container, Map<String, String> env) {
    String path = env.get(ENV);
    if (path == null) {
      return null;
    }
    assertThat(mountsTheSecretAt(deployment, container, path))
        .as("%s=%s lies in a read-only mount of Secret %s", ENV, path, SECRET)
        .isTrue();
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    try {
      Path file = Files.createTempFile("surge-admin-token", "");
      file.toFile().deleteOnExit();
      Files.writeString(file, token);
      env.put(ENV, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return token;
  }

  private static boolean mountsTheSecretAt(JsonNode deployment, JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      String at = mount.path("mountPath").asText();
      if (!mount.path("readOnly").asBoolean(false) || !path.startsWith(at + "/")) {
        continue;
      }
      for (JsonNode volume :
          deployment.path("spec").path("template").path("spec").path("volumes")) {
        if (volume.path("name").asText().equals(mount.path("name").asText())
            && volume.path("secret").path("secretName").asText().equals(SECRET)) {
          return true;
        }
      }
    }
    return false;
  }
}
