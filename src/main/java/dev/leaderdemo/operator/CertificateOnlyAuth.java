package dev.leaderdemo.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;

/**
 * A client that authenticates with its certificate alone goes without fabric8's token refresh.
 *
 * <p>fabric8 7.9's {@link TokenRefreshInterceptor} moves its once-a-minute clock only when a
 * refresh yields a token. A client with none (a kubeconfig with a client certificate, as kind's and
 * this project's local cluster's are) therefore re-reads and parses the whole kubeconfig before
 * every request once its first minute has passed. With 1000 LeaderDemos that was a tenth of the
 * operator's CPU. Such a client has nothing to refresh; a client with a token (a pod's
 * ServiceAccount token, an exec plugin's, an OIDC provider's) or with a password keeps it.
 */
final class CertificateOnlyAuth {

  private CertificateOnlyAuth() {}

  static boolean appliesTo(Config config) {
    return blank(config.getOauthToken())
        && blank(config.getAutoOAuthToken())
        && config.getOauthTokenProvider() == null
        && config.getAuthProvider() == null
        && blank(config.getUsername())
        && (!blank(config.getClientCertFile()) || !blank(config.getClientCertData()));
  }

  static void dropTokenRefresh(Config config, HttpClient.Builder builder) {
    if (appliesTo(config)) {
      builder.addOrReplaceInterceptor(TokenRefreshInterceptor.NAME, null);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
