package dev.surge.lab.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BalancerTest {
  /** A pod stand-in: greets every connection with its name, then echoes lines. */
  static final class NamedServer implements AutoCloseable {
    final String name;
    final ServerSocket server;
    final List<Socket> accepted = new ArrayList<>();

    NamedServer(String name) throws IOException {
      this.name = name;
      this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
      Thread t = new Thread(this::serve, "test-pod-" + name);
      t.setDaemon(true);
      t.start();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          synchronized (accepted) {
            accepted.add(s);
          }
          Thread h =
              new Thread(
                  () -> {
                    try (s) {
                      OutputStream out = s.getOutputStream();
                      out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                      out.flush();
                      BufferedReader in =
                          new BufferedReader(
                              new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                      String line;
                      while ((line = in.readLine()) != null) {
                        out.write((name + ":" + line + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                      }
                    } catch (IOException e) {
                      // the test closed the connection
                    }
                  });
          h.setDaemon(true);
          h.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    Endpoint endpoint() {
      return new Endpoint(
          name, new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private final List<NamedServer> pods = new ArrayList<>();
  private Balancer balancer;

  @BeforeEach
  void start() throws IOException {
    for (String n : List.of("pod-a", "pod-b", "pod-c")) {
      pods.add(new NamedServer(n));
    }
    balancer = Balancer.start(0, new Random(7));
  }

  @AfterEach
  void stop() throws IOException {
    balancer.close();
    for (NamedServer p : pods) {
      p.close();
    }
  }

  private record Conn(Socket socket, BufferedReader in, PrintWriter out, String pod) {}

  private Conn connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), balancer.port());
    s.setSoTimeout(10_000);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
    return new Conn(s, in, out, in.readLine());
  }

  @Test
  void spreadsNewConnectionsOverTheReadyEndpoints() throws IOException {
    balancer.endpoints(pods.stream().map(NamedServer::endpoint).toList());
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 90; i++) {
      Conn c = connect();
      counts.merge(c.pod(), 1, Integer::sum);
      c.socket().close();
    }
    assertThat(counts).containsOnlyKeys("pod-a", "pod-b", "pod-c");
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(15));
    assertThat(balancer.connectionsByPod().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(90);
  }

  @Test
  void keepsAnEstablishedConnectionOnItsPodWhenTheEndpointLeaves() throws IOException {
    balancer.endpoints(List.of(pods.get(0).endpoint()));
    Conn pinned = connect();
    assertThat(pinned.pod()).isEqualTo("pod-a");

    balancer.endpoints(List.of(pods.get(1).endpoint(), pods.get(2).endpoint()));
    for (int i = 0; i < 5; i++) {
      pinned.out().println("ping" + i);
      assertThat(pinned.in().readLine()).isEqualTo("pod-a:ping" + i);
    }
    for (int i = 0; i < 20; i++) {
      Conn fresh = connect();
      assertThat(fresh.pod()).isIn("pod-b", "pod-c");
      fresh.socket().close();
    }
    pinned.socket().close();
  }

  @Test
  void tellsTheClientWhenThePodClosesItsSide() throws IOException {
    balancer.endpoints(List.of(pods.get(0).endpoint()));
    Conn c = connect();
    synchronized (pods.get(0).accepted) {
      for (Socket s : pods.get(0).accepted) {
        s.close();
      }
    }
    assertThat(c.in().readLine()).isNull();
    c.socket().close();
  }

  @Test
  void closesAtOnceWhenNoEndpointIsReady() throws IOException {
    balancer.endpoints(List.of());
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), balancer.port())) {
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(balancer.refused()).isEqualTo(1);
  }

  @Test
  void triesAnotherReadyEndpointWhenThePodRefusesTheConnect() throws IOException {
    NamedServer gone = new NamedServer("pod-gone");
    Endpoint dead = gone.endpoint();
    gone.close();
    balancer.endpoints(List.of(dead, pods.get(0).endpoint()));
    for (int i = 0; i < 10; i++) {
      Conn c = connect();
      assertThat(c.pod()).isEqualTo("pod-a");
      c.socket().close();
    }
    assertThat(balancer.connectionsByPod()).containsOnlyKeys("pod-a");
  }

  @Test
  void releasesThePortOnClose() throws IOException {
    int port = balancer.port();
    balancer.close();
    try (ServerSocket again = new ServerSocket(port, 10, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }
}
