package dev.grok.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration before the launcher calls {@link Logging#configure}: text lines on stderr (stdout belongs
 * to program output), INFO, the chatty libraries at WARN. Found by Logback through {@code META-INF/services}, in
 * code rather than a {@code logback.xml}: the XML would load Joran and the JDK's XML parser (~700 classes, ~3 MiB of
 * class metadata and a part of the start-up time, BENCHMARKS.md "Footprint") only to read these lines.
 *
 * <p>A {@code logback-test.xml} on the class path (the tests') or a {@code -Dlogback.configurationFile} wins: then
 * this configures nothing and Logback reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator {
  /** Loggers of libraries that say too much at INFO. */
  static final String[] WARN_LOGGERS = {"io.netty", "io.grpc", "org.flywaydb", "com.zaxxer"};

  /** Public, no arguments: Logback instantiates it through {@link java.util.ServiceLoader}. */
  public DefaultLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = DefaultLogging.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    Logging.configure(context, "text");
    for (String name : WARN_LOGGERS) {
      context.getLogger(name).setLevel(Level.WARN);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
