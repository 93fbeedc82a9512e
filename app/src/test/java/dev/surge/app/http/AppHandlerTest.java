package dev.surge.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.surge.app.metrics.Metrics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppHandlerTest {
  @ParameterizedTest
  @CsvSource({
    "GET,GET",
    "HEAD,HEAD",
    "POST,POST",
    "PUT,PUT",
    "DELETE,DELETE",
    "PATCH,PATCH",
    "OPTIONS,OPTIONS",
    "TRACE,OTHER",
    "CONNECT,OTHER",
    "PROPFIND,OTHER",
    "get,OTHER",
    "X-RANDOM-1234,OTHER"
  })
  void bucketsMethodsIntoAFixedSet(String method, String label) {
    assertThat(Metrics.METHODS.get(AppHandler.methodIndex(method))).isEqualTo(label);
  }

  @ParameterizedTest
  @CsvSource({"/nope,/nope", "'/a\tb','/a?b'"})
  void keepsClientTextPrintable(String in, String out) {
    assertThat(AppHandler.printable(in)).isEqualTo(out);
  }

  @org.junit.jupiter.api.Test
  void cutsLongClientText() {
    assertThat(AppHandler.printable("x".repeat(500))).hasSize(203).endsWith("...");
  }
}
