package dev.leaderdemo.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leaderdemo.apiserver.Json;

/**
 * What {@code /leader} answers, the same for a demo pod and an operator replica: who this is, the
 * leader it last observed (null when none is known) and whether it leads.
 */
public record LeaderView(String identity, String leader, boolean isLeader) {

  public ProbeServer.Response response() {
    ObjectNode json = Json.object();
    json.put("identity", identity);
    json.put("leader", leader);
    json.put("isLeader", isLeader);
    return ProbeServer.Response.json(Json.write(json));
  }
}
