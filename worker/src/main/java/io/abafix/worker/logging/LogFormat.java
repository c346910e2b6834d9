package io.abafix.worker.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * How log lines look: {@code text} (one readable line each, the default) or {@code json} (one JSON
 * object each, with the MDC as fields, for a log pipeline). Chosen with {@code --log-format}, the
 * {@code abafix.log.format} system property or the {@code ABAFIX_LOG_FORMAT} environment variable;
 * the level of abafix's own lines likewise with {@code abafix.log.level} / {@code
 * ABAFIX_LOG_LEVEL}.
 */
public enum LogFormat {
  text,
  json;

  static final String PROPERTY = "abafix.log.format";

  /** Switches every logger to this format from now on. */
  public void use() {
    System.setProperty(PROPERTY, name());
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      try {
        new ContextInitializer(context).autoConfig();
      } catch (JoranException e) {
        throw new IllegalStateException("the logging configuration does not load", e);
      }
    }
  }
}
