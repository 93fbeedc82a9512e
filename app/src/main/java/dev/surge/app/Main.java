package dev.surge.app;

/** Entry point of the surge app (placeholder until the app lands). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("surge app");
  }
}
