package dev.grok.testing.leak;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The process-wide sink of Netty leak reports, hooked once. Netty's detectors are static, so is this; the
 * extension takes what arrived during each test.
 */
final class LeakReports {
  static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

  private static final String APPENDER_NAME = "grok-leak-detection";
  private static final List<String> reports = new ArrayList<>();
  private static boolean listenerInstalled;

  private LeakReports() {}

  /**
   * Hooks both ends, idempotently: the appender catches every detector's report when Logback is the backend
   * (checked on every call, as a Logback reset drops appenders and levels); the buffer leak listener covers
   * buffers when Netty logs elsewhere, and stays quiet for a report the appender already has.
   */
  static synchronized void install() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      Logger logger = context.getLogger(DETECTOR_LOGGER);
      // Netty skips leak reporting altogether when ERROR is off for this logger.
      if (!logger.isErrorEnabled()) {
        logger.setLevel(Level.ERROR);
      }
      if (logger.getAppender(APPENDER_NAME) == null) {
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            String message = event.getFormattedMessage();
            if (message != null && message.contains("LEAK:")) {
              add(message);
            }
          }
        };
        appender.setContext(context);
        appender.setName(APPENDER_NAME);
        appender.start();
        logger.addAppender(appender);
      }
    }
    if (!listenerInstalled) {
      listenerInstalled = true;
      // Netty calls the listener after it logged the same report.
      ByteBufUtil.setLeakListener((resourceType, records) -> addUnlessLogged(resourceType, records));
    }
  }

  static void add(String report) {
    synchronized (reports) {
      reports.add(report);
    }
  }

  private static void addUnlessLogged(String resourceType, String records) {
    synchronized (reports) {
      boolean logged = records.isEmpty() ? !reports.isEmpty()
          : reports.stream().anyMatch(report -> report.contains(records));
      if (!logged) {
        reports.add("LEAK: " + resourceType + ".release() was not called\n" + records);
      }
    }
  }

  /** The reports since the last call, removed. */
  static List<String> drain() {
    synchronized (reports) {
      List<String> out = List.copyOf(reports);
      reports.clear();
      return out;
    }
  }

  static boolean isEmpty() {
    synchronized (reports) {
      return reports.isEmpty();
    }
  }
}
