package io.pulsarrpc.observability;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;

/** Reads a W3C trace context from the metadata of a request or a stream's open. */
final class MetadataCarrier {

  static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private MetadataCarrier() {}
}
