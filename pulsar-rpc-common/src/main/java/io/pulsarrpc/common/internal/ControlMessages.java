package io.pulsarrpc.common.internal;

import io.pulsarrpc.inspect.InspectionRequest;
import io.pulsarrpc.inspect.ServerInspection;
import org.apache.pulsar.client.api.Schema;

/**
 * The schemas of the control topic's messages, shared by the server that answers and the client
 * that asks so that both encode the same JSON. JSON over the records, which every bus carries as
 * bytes. Not API.
 */
public final class ControlMessages {

  /** The request schema of the control topic. */
  public static final Schema<InspectionRequest> REQUEST = Schema.JSON(InspectionRequest.class);

  /** The answer schema of the control topic. */
  public static final Schema<ServerInspection> ANSWER = Schema.JSON(ServerInspection.class);

  private ControlMessages() {}
}
