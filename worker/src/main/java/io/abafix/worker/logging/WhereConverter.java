package io.abafix.worker.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * {@code %where} in a pattern: {@code [run=... tenant=... server=... step=...]} with the keys a
 * line has, and nothing for a line logged outside a step.
 */
public final class WhereConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null || mdc.isEmpty()) return "";
    StringBuilder b = new StringBuilder();
    for (String key : LogContext.KEYS) {
      String value = mdc.get(key);
      if (value == null) continue;
      b.append(b.length() == 0 ? " [" : " ").append(key).append('=').append(value);
    }
    return b.length() == 0 ? "" : b.append(']').toString();
  }
}
