package io.pulsarrpc.bus.support;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * The failure behind the wrappers that futures add. A future composed with {@code thenCompose} or
 * {@code thenApply} fails with a {@link CompletionException} around the real cause, and {@code
 * get()} with an {@link ExecutionException}; error messages, retry decisions and error codes must
 * look at the cause, and a message should say what the cause means when a bus client hides it.
 */
public final class Failures {

  private Failures() {}

  /**
   * {@code failure} without its {@link CompletionException} and {@link ExecutionException} layers,
   * however many; {@code failure} itself when it has none, or null for null.
   */
  public static Throwable unwrapped(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * The message of {@code failure} {@linkplain #unwrapped(Throwable) unwrapped}, followed, when a
   * failed TLS handshake lies among its causes, by what went wrong with TLS and, when the server's
   * certificate was not trusted, how to trust it. Bus clients report a failed handshake as "unable
   * to connect" or a timeout and keep the reason in a cause several levels down: this brings it up
   * to the message a user reads.
   */
  public static String describe(Throwable failure) {
    Throwable unwrapped = unwrapped(failure);
    if (unwrapped == null) {
      return "null";
    }
    String message = String.valueOf(unwrapped.getMessage());
    TlsFailure tls = TlsFailure.among(unwrapped);
    if (tls == null) {
      return message;
    }
    String reason =
        message.contains(String.valueOf(tls.handshake().getMessage()))
            ? ""
            : ": " + tls.handshake().getMessage();
    if (!tls.untrusted()) {
      return message + " (TLS handshake failed" + reason + ")";
    }
    return message
        + " (TLS handshake failed, this client does not trust the server's certificate"
        + reason
        + "; give the client the PEM file of the certificate authority that signed it: the Pulsar"
        + " client's tlsTrustCertsFilePath, or tlsTrustCertsFile of the Redis or NATS bus"
        + " builder)";
  }

  /**
   * Whether a TLS handshake failed among the causes of {@code failure} (or the failures it
   * suppressed, where some bus clients keep the reason) because this side did not trust the
   * server's certificate.
   */
  public static boolean certificateNotTrusted(Throwable failure) {
    TlsFailure tls = TlsFailure.among(failure);
    return tls != null && tls.untrusted();
  }

  /** A failed handshake, and whether a certificate that was not trusted made it fail. */
  private record TlsFailure(SSLException handshake, boolean untrusted) {

    /** The first handshake failure in {@code failure}'s causes and suppressed ones, or null. */
    static TlsFailure among(Throwable failure) {
      Deque<Throwable> pending = new ArrayDeque<>();
      if (failure != null) {
        pending.add(failure);
      }
      SSLException handshake = null;
      // Bounded: a cause chain may loop back on itself.
      for (int seen = 0; !pending.isEmpty() && seen < 64; seen++) {
        Throwable cause = pending.poll();
        if (handshake == null && cause instanceof SSLException ssl) {
          handshake = ssl;
        }
        if (handshake != null
            && (cause instanceof CertificateException
                || cause instanceof CertPathBuilderException
                || cause instanceof CertPathValidatorException)) {
          return new TlsFailure(handshake, true);
        }
        if (cause.getCause() != null && cause.getCause() != cause) {
          pending.add(cause.getCause());
        }
        pending.addAll(List.of(cause.getSuppressed()));
      }
      return handshake == null ? null : new TlsFailure(handshake, false);
    }
  }
}
