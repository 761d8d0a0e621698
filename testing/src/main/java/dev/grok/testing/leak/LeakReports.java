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

  private static final List<String> reports = new ArrayList<>();
  private static boolean installed;

  private LeakReports() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      Logger logger = context.getLogger(DETECTOR_LOGGER);
      // Netty skips leak reporting altogether when ERROR is off for this logger.
      if (!logger.isErrorEnabled()) {
        logger.setLevel(Level.ERROR);
      }
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
      appender.setName("grok-leak-detection");
      appender.start();
      logger.addAppender(appender);
    } else {
      ByteBufUtil.setLeakListener((resourceType, records) -> add("LEAK: " + resourceType + "\n" + records));
    }
  }

  static void add(String report) {
    synchronized (reports) {
      reports.add(report);
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
