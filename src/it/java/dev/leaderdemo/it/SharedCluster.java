package dev.leaderdemo.it;

import dev.leaderdemo.testkit.LocalCluster;
import java.nio.file.Path;

/**
 * One local cluster for all ITs in the JVM, with the project's image on its node and the CRD
 * installed: starting one takes seconds, and tests keep apart by namespace. It is taken down when
 * the JVM stops.
 */
final class SharedCluster {

  private static LocalCluster instance;

  private SharedCluster() {}

  static synchronized LocalCluster get() {
    if (instance == null) {
      LocalCluster started =
          LocalCluster.start(Path.of("target", "it", "cluster").toAbsolutePath());
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "cluster-down"));
      started.loadProjectImage();
      started.installCrd();
      // only a cluster set up in full is shared: a failure above fails the next IT again, with its
      // own cause
      instance = started;
    }
    return instance;
  }
}
