package dev.leaderdemo.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Both programs' logging, set up in code (logback finds this class as a service) rather than read
 * from a logback.xml: parsing XML loads an XML parser and logback's configuration model, some 400
 * classes, into every demo pod. A {@code -Dlogback.configurationFile}, or a logback-test.xml on the
 * class path, still wins.
 *
 * <p>One line per event on stdout, in UTC. JOSDK puts the resource being reconciled into the MDC;
 * lines outside a reconcile show no brackets. Levels come from {@code LOG_LEVEL} (INFO), {@code
 * JOSDK_LOG_LEVEL} (INFO) and {@code FABRIC8_LOG_LEVEL} (WARN).
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {

  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0}"
          + " %replace([%X{resource.namespace}/%X{resource.name}] ){'\\[/\\] ', ''}- %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || LogConfiguration.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setEncoder(encoder);
    stdout.start();

    Map<String, String> env = System.getenv();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(stdout);
    root.setLevel(level(env.get("LOG_LEVEL"), Level.INFO));
    context.getLogger("io.javaoperatorsdk").setLevel(level(env.get("JOSDK_LOG_LEVEL"), Level.INFO));
    context.getLogger("io.fabric8").setLevel(level(env.get("FABRIC8_LOG_LEVEL"), Level.WARN));
    // v1alpha1 is this API's honest version, not a mistake to warn about on every start
    context
        .getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")
        .setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Level level(String name, Level otherwise) {
    return name == null || name.isBlank() ? otherwise : Level.toLevel(name.strip(), otherwise);
  }
}
