package dev.leaderdemo.it;

import dev.leaderdemo.local.ControlPlane;

import java.nio.file.Path;

/**
 * One control plane for all ITs in the JVM: starting one takes seconds, and tests keep apart by namespace.
 * It stops when the JVM does.
 */
final class SharedControlPlane {

  private static ControlPlane instance;

  private SharedControlPlane() {}

  static synchronized ControlPlane get() {
    if (instance == null) {
      instance = ControlPlane.start(Path.of("target", "it", "control-plane").toAbsolutePath());
      ControlPlane started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "control-plane-stop"));
      started.kubectl("apply", "--server-side", "-f",
          ControlPlane.projectDir().resolve("crds/leaderdemos.leaderdemo.dev-v1.yml").toString()).assertSuccess();
      started.kubectl("wait", "--for=condition=Established", "--timeout=60s",
          "crd/leaderdemos.leaderdemo.dev").assertSuccess();
    }
    return instance;
  }
}
