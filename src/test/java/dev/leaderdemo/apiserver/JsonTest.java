package dev.leaderdemo.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void aSkippedMemberIsLeftOutAtAnyDepthAndTheRestIsRead() throws IOException {
    JsonNode event =
        Json.read(
            """
            {"type":"MODIFIED","object":{"metadata":{"name":"demo",
              "managedFields":[{"manager":"m","fieldsV1":{"f:spec":{"f:x":{}}}}],
              "labels":{"a":"b"}},"spec":{"n":3,"list":[1,{"managedFields":1}]}}}
            """,
            "managedFields");

    assertThat(event.path("object").path("metadata").has("managedFields")).isFalse();
    assertThat(event.path("object").path("metadata").path("labels").path("a").asText())
        .isEqualTo("b");
    assertThat(event.path("object").path("spec").path("n").asInt()).isEqualTo(3);
    assertThat(event.path("object").path("spec").path("list").get(1).size()).isZero();
  }

  @Test
  void withoutASkippedNameEverythingIsRead() throws IOException {
    JsonNode value = Json.read("{\"metadata\":{\"managedFields\":[]}}");

    assertThat(value.path("metadata").has("managedFields")).isTrue();
  }
}
