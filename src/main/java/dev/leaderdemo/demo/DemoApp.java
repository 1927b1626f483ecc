package dev.leaderdemo.demo;

import dev.leaderdemo.http.ProbeServer;
import dev.leaderdemo.http.ProbeServer.Response;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The program in each demo pod: compete for the Lease, log what happens, answer /healthz and
 * /leader.
 */
public final class DemoApp {

  private DemoApp() {}

  public static void main(String[] args) {
    DemoConfig config = DemoConfig.fromEnvironment(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    DemoElection election = new DemoElection(client, config, Clock.systemUTC());
    ProbeServer http =
        ProbeServer.start(
            config.httpPort(),
            Map.of(
                "/healthz", () -> Response.text(true, "ok"),
                "/leader", () -> Response.json(leaderJson(config, election))));
    LoggerFactory.getLogger(DemoApp.class)
        .info("Serving /healthz and /leader on port {}", http.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  election.stop();
                  http.close();
                  client.close();
                },
                "demo-shutdown"));
    election.run();
  }

  static String leaderJson(DemoConfig config, DemoElection election) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("identity", config.identity());
    body.put("leader", election.leader());
    body.put("isLeader", election.isLeader());
    return Serialization.asJson(body);
  }
}
