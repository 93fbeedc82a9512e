package dev.surge.loadgen.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/CONTRACT.md names the live stream's events: the server sends exactly those and the page
 * listens to exactly those.
 */
class StreamContractTest {
  private static final Path REPO = Path.of(System.getProperty("surge.repo", ".."));

  @Test
  void theDocumentedEventsAreTheOnesSentAndTheOnesThePageReads() throws Exception {
    String contract = Files.readString(REPO.resolve("docs/CONTRACT.md"), StandardCharsets.UTF_8);
    String section =
        contract.substring(
            contract.indexOf("## Live page (`--ui`)"),
            contract.indexOf("## ", contract.indexOf("## Live page (`--ui`)") + 3));
    List<String> documented = new ArrayList<>();
    Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|").matcher(section);
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertThat(documented)
        .containsExactly("hello", "scaling-info", "interval", "scaling", "cost", "event", "end");

    String page = Page.resource("/dev/surge/loadgen/ui/page.js");
    List<String> read = new ArrayList<>();
    Matcher on = Pattern.compile("on\\('([a-z-]+)'").matcher(page);
    while (on.find()) {
      read.add(on.group(1));
    }
    assertThat(read).containsExactlyInAnyOrderElementsOf(documented);

    String server =
        Files.readString(
            REPO.resolve("loadgen/src/main/java/dev/surge/loadgen/ui/UiServer.java"),
            StandardCharsets.UTF_8);
    List<String> sent = new ArrayList<>();
    Matcher submit = Pattern.compile("(?:submit|send)\\(\"([a-z-]+)\"").matcher(server);
    while (submit.find()) {
      sent.add(submit.group(1));
    }
    sent.add("end"); // SseHub.end writes it
    assertThat(sent).containsExactlyInAnyOrderElementsOf(documented);
    for (String field : List.of("t", "kind", "subject", "message")) {
      assertThat(section).contains("{t, kind, subject, message}").contains(field);
    }
  }
}
