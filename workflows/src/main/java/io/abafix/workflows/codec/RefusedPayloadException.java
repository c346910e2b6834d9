package io.abafix.workflows.codec;

import io.temporal.common.converter.DataConverterException;

/**
 * A payload the codec will not decode: not encrypted, encrypted with a key this process was not
 * given, or not decrypting (tampered, or sealed for another workflow). It is a {@link
 * DataConverterException} because that is the one exception the Temporal SDK takes as "this input
 * cannot be read": a signal whose payload throws it is logged and dropped (and counted as {@code
 * temporal_corrupted_signals}), and the run goes on. Any other exception would fail every workflow
 * task of the run from then on: no query answered, no cancellation compensated.
 *
 * <p>Its message names the encoding, the key id and the workflow a payload claims, never the
 * payload's contents.
 */
public final class RefusedPayloadException extends DataConverterException {
  private static final long serialVersionUID = 1L;

  RefusedPayloadException(String message) {
    super(message);
  }

  RefusedPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
