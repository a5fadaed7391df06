package io.pulsarrpc.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Where a run of the command line reads and writes, and the environment it resolves defaults from;
 * tests give their own, {@code main} gives the process's.
 *
 * @param out the command's output (replies, updates)
 * @param err errors, progress and the spinner
 * @param in the payload when neither an argument nor {@code --file} gives one
 * @param env environment variables
 * @param interactive whether a person watches a terminal: enables the spinner and refuses to wait
 *     for a payload on the terminal's standard input
 */
record CliIo(
    PrintWriter out,
    PrintWriter err,
    InputStream in,
    Map<String, String> env,
    boolean interactive) {}
