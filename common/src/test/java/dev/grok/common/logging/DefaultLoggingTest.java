package dev.grok.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class DefaultLoggingTest {
  @Test
  void logbackFindsItAsAService() {
    assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
        .map(ServiceLoader.Provider::type)).contains(DefaultLogging.class);
  }

  @Test
  void configuresTextOnStderrAtInfoWithTheLibrariesAtWarn() {
    LoggerContext context = new LoggerContext();

    ExecutionStatus status = new DefaultLogging().configure(context);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    Appender<?> appender = root.getAppender("STDERR");
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    assertThat(((ConsoleAppender<?>) appender).getTarget()).isEqualTo("System.err");
    assertThat(appender.isStarted()).isTrue();
    for (String name : DefaultLogging.WARN_LOGGERS) {
      assertThat(context.getLogger(name).getLevel()).as(name).isEqualTo(Level.WARN);
    }
    assertThat(context.getLogger("dev.grok.server").getEffectiveLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void leavesAConfigurationFileGivenByPropertyToLogback() {
    LoggerContext context = new LoggerContext();
    String before = System.setProperty("logback.configurationFile", "elsewhere.xml");
    try {
      ExecutionStatus status = new DefaultLogging().configure(context);

      assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
    }
  }
}
