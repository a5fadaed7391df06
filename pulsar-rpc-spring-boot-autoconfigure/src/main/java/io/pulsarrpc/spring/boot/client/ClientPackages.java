package io.pulsarrpc.spring.boot.client;

import java.util.List;

/** The packages an {@link EnablePulsarRpcClients} names, for the generated client scan. */
record ClientPackages(List<String> packages) {}
