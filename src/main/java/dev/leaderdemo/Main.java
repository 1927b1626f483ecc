package dev.leaderdemo;

import dev.leaderdemo.demo.DemoApp;
import dev.leaderdemo.operator.LeaderDemoOperator;
import java.util.Arrays;

/** One jar, two programs: the operator (the default) and the demo app its Deployments run. */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "operator" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "operator" -> LeaderDemoOperator.main(rest);
      case "demo" -> DemoApp.main(rest);
      default -> {
        System.err.println(
            "usage: java -jar leaderdemo.jar [operator|demo]\n"
                + "  operator  run the LeaderDemo operator (the default)\n"
                + "  demo      run the demo app: compete for the Lease named by LEASE_NAME");
        System.exit(2);
      }
    }
  }
}
