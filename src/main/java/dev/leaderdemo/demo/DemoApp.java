package dev.leaderdemo.demo;

import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.http.LeaderView;
import dev.leaderdemo.http.ProbeServer;
import dev.leaderdemo.http.ProbeServer.Response;
import java.time.Clock;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The program in each demo pod: compete for the Lease, log what happens, answer /healthz, /leader
 * and /metrics.
 */
public final class DemoApp {

  private DemoApp() {}

  public static void main(String[] args) {
    DemoConfig config = DemoConfig.fromEnvironment(System.getenv());
    ApiServer api = ApiServer.fromEnvironment();
    DemoElection election = new DemoElection(api, config, Clock.systemUTC(), System::nanoTime);
    ProbeServer http =
        ProbeServer.start(
            config.httpPort(),
            Map.of(
                "/healthz", () -> Response.text(true, "ok"),
                "/leader", () -> leaderView(config, election).response(),
                "/metrics", () -> Response.prometheus(election.metrics().render())));
    LoggerFactory.getLogger(DemoApp.class)
        .info("Serving /healthz, /leader and /metrics on port {}", http.port());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  election.stop();
                  http.close();
                  api.close();
                },
                "demo-shutdown"));
    election.run();
  }

  static LeaderView leaderView(DemoConfig config, DemoElection election) {
    return new LeaderView(config.identity(), election.leader(), election.isLeader());
  }
}
