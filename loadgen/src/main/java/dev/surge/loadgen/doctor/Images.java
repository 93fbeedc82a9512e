package dev.surge.loadgen.doctor;

/**
 * The fix for an image the cluster cannot pull. For surge's own images (nobody may have pushed the
 * tag the overlay names): build the loadable tarball with Jib, no Docker engine, and load it into
 * the nodes ({@code kind load image-archive}; {@code k3d image import} and {@code minikube image
 * load} take the same file), as {@code bin/kind-up} does. For any image: push it where the cluster
 * pulls from, or point the overlay at a registry that has it (k8s/README.md, "Other images").
 */
final class Images {
  private Images() {}

  static String fix(String image) {
    String repository = image.replaceFirst("@.*$", "");
    int colon = repository.lastIndexOf(':');
    if (colon > repository.lastIndexOf('/')) {
      repository = repository.substring(0, colon); // the tag, not a registry's port
    }
    String base = repository.substring(repository.lastIndexOf('/') + 1);
    String retarget = "kustomize edit set image " + repository + "=<registry>/" + base + ":<tag>";
    if (base.equals("surge-app") || base.equals("surge-loadgen")) {
      String module = base.equals("surge-app") ? "app" : "loadgen";
      return "./mvnw -B -q -DskipTests -Pimage-tar package && kind load image-archive "
          + module
          + "/target/"
          + base
          + "-image.tar --name <kind cluster> (k3d image import, minikube image load take the same"
          + " file; or push with -Pimage-push -Dimage.registry=<registry> and in your overlay: "
          + retarget
          + ")";
    }
    return "push "
        + image
        + " to a registry the cluster can pull from, or in your overlay: "
        + retarget;
  }
}
