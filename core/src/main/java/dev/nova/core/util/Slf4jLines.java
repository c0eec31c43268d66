package dev.nova.core.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Audit and finding lines through SLF4J; loaded only when the host has it. */
final class Slf4jLines implements NovaLog.Lines {
  private final Logger findings = LoggerFactory.getLogger(NovaLog.FINDINGS);
  private final Logger audit = LoggerFactory.getLogger(NovaLog.AUDIT);

  private Slf4jLines() {}

  static NovaLog.Lines create() {
    return new Slf4jLines();
  }

  @Override
  public void write(String logger, boolean warn, String line) {
    Logger l = NovaLog.AUDIT.equals(logger) ? audit : findings;
    if (warn) {
      l.warn(line);
    } else {
      l.info(line);
    }
  }
}
