package dev.leaderdemo.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoResourcesTest {

  private static final String DNS_LABEL = "[a-z]([-a-z0-9]{0,61}[a-z0-9])?";

  private static String service(String name) {
    LeaderDemo demo = new LeaderDemo();
    demo.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    return DemoResources.leaderServiceName(demo);
  }

  @Test
  void theLeaderServiceIsNamedAfterTheLeaderDemo() {
    assertThat(service("leader-election-demo")).isEqualTo("leader-election-demo-leader");
  }

  @Test
  void aNameThatMakesNoServiceNameBecomesOneAndStaysApartFromOthers() {
    String dotted = service("demo.v2");
    String digit = service("2demo");
    String longest = service("a".repeat(63));
    String longestButOne = service("a".repeat(62));

    assertThat(List.of(dotted, digit, longest, longestButOne)).allMatch(n -> n.matches(DNS_LABEL));
    assertThat(dotted).startsWith("demo-v2-").endsWith("-leader");
    assertThat(digit).startsWith("ld-2demo-");
    assertThat(longest).isNotEqualTo(longestButOne);
    assertThat(service("demo.v2")).isEqualTo(dotted);
  }
}
