package dev.leaderdemo.localdemo;

import dev.leaderdemo.localdemo.DemoScreen.Snapshot;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * `make demo`'s terminal: the live view redrawn on every change, and a key for each action (t k c,
 * o O C, + -, q or Ctrl-C to end). The terminal is put back as it was when the demo ends.
 */
final class DemoKeys {

  private static final int CTRL_C = 3;

  private final LeaderActions actions;
  private final FailoverStopwatch stopwatch;
  private final Supplier<Snapshot> snapshot;
  private final Object drawing = new Object();
  private Snapshot last;
  private volatile boolean live;

  DemoKeys(LeaderActions actions, FailoverStopwatch stopwatch, Supplier<Snapshot> snapshot) {
    this.actions = actions;
    this.stopwatch = stopwatch;
    this.snapshot = snapshot;
  }

  /** Reads keys until q, Ctrl-C or the end of input; returns the exit code. */
  int run() throws Exception {
    String saved = stty("-g").trim();
    // -isig: Ctrl-C arrives as a key, so that the demo ends in order and then takes the cluster
    // down
    stty("-icanon", "-echo", "-isig", "min", "1");
    try {
      live = true;
      redraw();
      while (true) {
        int key = System.in.read();
        try {
          switch (key) {
            case -1, 'q', CTRL_C -> {
              return 0;
            }
            case 't' -> actions.deleteDemoLeader(false);
            case 'k' -> actions.deleteDemoLeader(true);
            case 'c' -> actions.crashDemoLeader();
            case 'o' -> actions.deleteOperatorLeader(false);
            case 'O' -> actions.deleteOperatorLeader(true);
            case 'C' -> actions.crashOperatorLeader();
            case '+' -> actions.scale(1);
            case '-' -> actions.scale(-1);
            default -> {}
          }
        } catch (RuntimeException | AssertionError e) {
          // a pod that was gone already, say: the demo goes on
          stopwatch.notDone(e.getMessage());
          redraw();
        }
      }
    } finally {
      live = false;
      stty(saved);
    }
  }

  /** Draws the screen again if what it shows has changed; nothing once the view has ended. */
  void redraw() {
    if (!live) {
      return;
    }
    Snapshot now = snapshot.get();
    synchronized (drawing) {
      if (!now.equals(last)) {
        last = now;
        System.out.print("\033[H\033[2J" + DemoScreen.render(now));
        System.out.flush();
      }
    }
  }

  /** Ends the live view: nothing is drawn after this. */
  void stop() {
    live = false;
  }

  private static String stty(String... args) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("sh", "-c", "stty " + String.join(" ", args) + " < /dev/tty")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}
