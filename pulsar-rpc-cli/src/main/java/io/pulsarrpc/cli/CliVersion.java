package io.pulsarrpc.cli;

import picocli.CommandLine.IVersionProvider;

/** The version in the jar's manifest, or "development" when run from classes. */
final class CliVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = PulsarRpcCli.class.getPackage().getImplementationVersion();
    return new String[] {"pulsar-rpc " + (version != null ? version : "(development build)")};
  }
}
