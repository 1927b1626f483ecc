package dev.leaderdemo.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AuthProviderConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;

class CertificateOnlyAuthTest {

  private static ConfigBuilder certificate() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl("https://127.0.0.1:6443")
        .withClientCertFile("/tmp/client.crt")
        .withClientKeyFile("/tmp/client.key");
  }

  @Test
  void aClientCertificateAloneHasNoTokenToRefresh() {
    assertThat(CertificateOnlyAuth.appliesTo(certificate().build())).isTrue();
    assertThat(
            CertificateOnlyAuth.appliesTo(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("https://127.0.0.1:6443")
                    .withClientCertData("Y2VydA==")
                    .build()))
        .isTrue();
  }

  @Test
  void anyTokenOrPasswordKeepsTheRefresh() {
    assertThat(CertificateOnlyAuth.appliesTo(certificate().withOauthToken("t").build())).isFalse();
    Config serviceAccount = certificate().build();
    serviceAccount.setAutoOAuthToken("projected-token");
    assertThat(CertificateOnlyAuth.appliesTo(serviceAccount)).as("a pod's token").isFalse();
    assertThat(
            CertificateOnlyAuth.appliesTo(
                certificate().withOauthTokenProvider(() -> "from-a-provider").build()))
        .isFalse();
    Config oidc = certificate().build();
    oidc.setAuthProvider(new AuthProviderConfig(java.util.Map.of(), "oidc"));
    assertThat(CertificateOnlyAuth.appliesTo(oidc)).as("an OIDC auth provider").isFalse();
    assertThat(
            CertificateOnlyAuth.appliesTo(
                certificate().withUsername("admin").withPassword("secret").build()))
        .as("basic auth, which the same interceptor adds")
        .isFalse();
  }

  @Test
  void noCredentialsAtAllIsNotThisCase() {
    assertThat(
            CertificateOnlyAuth.appliesTo(
                new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:6443").build()))
        .isFalse();
  }
}
