package dev.leaderdemo.operator;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * An HTTP interceptor on the operator's client that refuses every write while {@link
 * OperatorLeadership} says this replica may not write, and tells it when a write of the operator's
 * own lease succeeded.
 *
 * <p>It sits at the client rather than in the reconciler because the managed workflow writes the
 * dependents before the reconciler runs; every path to the API server passes here. Lease traffic,
 * and the access review JOSDK makes at startup, pass until shutdown begins; from then on the
 * elector may not renew or take the lease again, so that the release (made through another client)
 * is the last word.
 */
public class LeaseWriteFence implements Interceptor {

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final OperatorLeadership leadership;
  private final String leasesPath;
  private final String leasePath;
  private final LongSupplier nanoTime;
  private volatile long leaseReadStart;

  public LeaseWriteFence(
      OperatorLeadership leadership, String namespace, String leaseName, LongSupplier nanoTime) {
    this.leadership = leadership;
    this.leasesPath = "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases";
    this.leasePath = leasesPath + "/" + leaseName;
    this.nanoTime = nanoTime;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String path = request.uri().getPath();
    String method = request.method();
    if (isOperatorLease(path, method)) {
      if (WRITES.contains(method) && leadership.isShuttingDown()) {
        throw new NotLeaderException(
            method + " " + path + " refused: " + leadership.identity() + " is shutting down");
      }
      // fabric8 reads the lease before each write and stamps renewTime before the read: count from
      // here
      if ("GET".equals(method)) {
        leaseReadStart = nanoTime.getAsLong();
      }
      return;
    }
    if (WRITES.contains(method)
        && !path.startsWith("/apis/authorization.k8s.io/")
        && !leadership.mayWrite()) {
      throw new NotLeaderException(
          method
              + " "
              + path
              + " refused: "
              + leadership.identity()
              + " does not hold a fresh operator lease");
    }
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    String method = request.method();
    if (WRITES.contains(method)
        && isOperatorLease(request.uri().getPath(), method)
        && HttpResponse.isSuccessful(response.code())) {
      leadership.leaseWritten(leaseReadStart);
    }
  }

  private boolean isOperatorLease(String path, String method) {
    return path.equals(leasePath) || ("POST".equals(method) && path.equals(leasesPath));
  }

  /** A write attempted by a replica that does not (or no longer surely) lead. */
  public static class NotLeaderException extends IllegalStateException {
    NotLeaderException(String message) {
      super(message);
    }
  }
}
