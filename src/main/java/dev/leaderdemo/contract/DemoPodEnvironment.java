package dev.leaderdemo.contract;

/**
 * The environment the demo Deployment gives each pod, and so what the demo app reads. POD_NAME and
 * POD_NAMESPACE come from the downward API; the rest from the LeaderDemo.
 */
public final class DemoPodEnvironment {

  public static final String POD_NAME = "POD_NAME";
  public static final String POD_NAMESPACE = "POD_NAMESPACE";
  public static final String LEASE_NAME = "LEASE_NAME";
  public static final String LEASE_DURATION_SECONDS = "LEASE_DURATION_SECONDS";
  public static final String RENEW_DEADLINE_SECONDS = "RENEW_DEADLINE_SECONDS";
  public static final String RETRY_PERIOD_SECONDS = "RETRY_PERIOD_SECONDS";
  public static final String RELEASE_ON_CANCEL = "RELEASE_ON_CANCEL";
  public static final String LEADERDEMO_NAME = "LEADERDEMO_NAME";
  public static final String LEADERDEMO_UID = "LEADERDEMO_UID";
  public static final String HTTP_PORT = "HTTP_PORT";

  /** The container port of the demo Deployment's template, named http. */
  public static final int DEFAULT_HTTP_PORT = 8080;

  private DemoPodEnvironment() {}
}
