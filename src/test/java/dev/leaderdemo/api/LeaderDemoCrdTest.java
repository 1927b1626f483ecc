package dev.leaderdemo.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD says what the issue asks of the API; the build checks it is also what the Java
 * types make.
 */
class LeaderDemoCrdTest {

  private static CustomResourceDefinition crd() throws IOException {
    return Serialization.unmarshal(
        Files.readString(Path.of("crds/leaderdemos.leaderdemo.dev-v1.yml")),
        CustomResourceDefinition.class);
  }

  @Test
  void namesScopeAndSubresources() throws IOException {
    var spec = crd().getSpec();
    assertThat(spec.getGroup()).isEqualTo("leaderdemo.dev");
    assertThat(spec.getNames().getKind()).isEqualTo("LeaderDemo");
    assertThat(spec.getNames().getPlural()).isEqualTo("leaderdemos");
    assertThat(spec.getNames().getShortNames()).containsExactly("ld");
    assertThat(spec.getScope()).isEqualTo("Namespaced");
    assertThat(spec.getVersions())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo("v1alpha1");
              assertThat(v.getSubresources().getStatus()).isNotNull();
              assertThat(v.getAdditionalPrinterColumns())
                  .extracting(CustomResourceColumnDefinition::getName)
                  .containsExactly(
                      "LEADER", "SINCE", "TRANSITIONS", "READY", "OPERATOR", "LAST FAILOVER");
              assertThat(v.getAdditionalPrinterColumns().get(5))
                  .satisfies(
                      c -> {
                        assertThat(c.getJsonPath()).isEqualTo(".status.failovers[0].leaderlessFor");
                        assertThat(c.getPriority()).as("shown by -o wide").isEqualTo(1);
                      });
            });
  }

  @Test
  void specDefaultsBoundsAndRules() throws IOException {
    JSONSchemaProps spec =
        crd()
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    var p = spec.getProperties();
    assertThat(p.get("replicas").getDefault().asInt()).isEqualTo(3);
    assertThat(p.get("replicas").getMinimum()).isEqualTo(1.0);
    assertThat(p.get("replicas").getMaximum()).isEqualTo(50.0);
    for (String timing :
        new String[] {"leaseDurationSeconds", "renewDeadlineSeconds", "retryPeriodSeconds"}) {
      assertThat(p.get(timing).getMinimum()).as(timing).isEqualTo(1.0);
    }
    assertThat(p.get("leaseDurationSeconds").getDefault().asInt()).isEqualTo(15);
    assertThat(p.get("renewDeadlineSeconds").getDefault().asInt()).isEqualTo(10);
    assertThat(p.get("retryPeriodSeconds").getDefault().asInt()).isEqualTo(2);
    assertThat(p.get("releaseOnCancel").getDefault().asBoolean()).isTrue();
    assertThat(p.get("leaseName").getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .singleElement()
        .asString()
        .contains("size(self) <= 253");
    assertThat(spec.getXKubernetesValidations())
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getRule())
                    .isEqualTo(
                        "self.leaseDurationSeconds > self.renewDeadlineSeconds"
                            + " && self.renewDeadlineSeconds * 10 > self.retryPeriodSeconds * 12"));
  }

  @Test
  void theDnsSubdomainPatternAcceptsAndRefusesWhatKubernetesDoes() {
    var pattern = java.util.regex.Pattern.compile(LeaderDemoSpec.DNS_SUBDOMAIN);
    assertThat("leader-election-demo").matches(pattern);
    assertThat("a.b-c.d1").matches(pattern);
    assertThat("0lease").matches(pattern);
    assertThat("Upper").doesNotMatch(pattern);
    assertThat("under_score").doesNotMatch(pattern);
    assertThat("-leading").doesNotMatch(pattern);
    assertThat("trailing.").doesNotMatch(pattern);
    assertThat("double..dot").doesNotMatch(pattern);
  }
}
