package io.abafix.worker;

import io.abafix.activities.port.HostException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and an exit code: 2 bad input or configuration
 * (nothing was started), 1 anything else, 4 Temporal unreachable at startup. A supervisor (the
 * scheduled task, systemd) restarts the worker on 1 and 4; on 2 an operator has to act.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;
  static final int UNREACHABLE = 4;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    int code;
    String message;
    if (e instanceof UserError || e instanceof IllegalArgumentException) {
      code = BAD_INPUT;
      message = e.getMessage();
    } else if (e instanceof HostException h
        && h.category() == HostException.Category.CREDENTIAL_UNAVAILABLE) {
      code = BAD_INPUT;
      message = h.getMessage();
    } else if (e instanceof TemporalUnreachableException) {
      code = UNREACHABLE;
      message = e.getMessage();
    } else {
      code = FAILED;
      message = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return print(cmd, message, code);
  }

  /** Picocli's own parse errors (unknown or missing options), in the same one-line form. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    return print(
        cmd,
        e.getMessage() + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)",
        BAD_INPUT);
  }

  private static int print(CommandLine cmd, String message, int code) {
    var err = cmd.getErr();
    err.println("abafix-worker: " + oneLine(message));
    err.flush();
    return code;
  }

  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
