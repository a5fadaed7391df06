package io.pulsarrpc.protoc;

/** A .proto the plugin cannot generate code for; the message names the place and the fix. */
final class GenerationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  GenerationException(String message) {
    super(message);
  }
}
