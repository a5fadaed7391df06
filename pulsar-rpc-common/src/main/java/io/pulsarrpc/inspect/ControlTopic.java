package io.pulsarrpc.inspect;

/**
 * The names of the control topic, on which servers built with a control token answer introspection
 * multi-calls (docs/protocol.md, "The control topic").
 */
public final class ControlTopic {

  /**
   * The control topic servers and directories use unless told otherwise: {@value}. On Pulsar a
   * short name resolves to {@code persistent://public/default/pulsar-rpc-control}, so there is one
   * per bus unless a tenant/namespace is named in full.
   */
  public static final String DEFAULT = "pulsar-rpc-control";

  /**
   * The metadata key ({@code RequestOptions.withMetadata}) that carries the control token; on the
   * wire the property {@code rpc-meta-control-token}.
   */
  public static final String TOKEN_METADATA_KEY = "control-token";

  private ControlTopic() {}
}
