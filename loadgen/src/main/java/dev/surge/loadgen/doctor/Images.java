package dev.surge.loadgen.doctor;

/**
 * The fix for an image the cluster cannot pull: make it available where the cluster pulls from, or
 * point the overlay at a registry that has it (k8s/README.md, "Other images").
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
    return "push "
        + image
        + " to a registry the cluster can pull from (kind: kind load docker-image "
        + image
        + "), or in your overlay: kustomize edit set image "
        + repository
        + "=<registry>/"
        + base
        + ":<tag>";
  }
}
