package io.pulsarrpc.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;

/**
 * Prints a command's results on stdout: readable text, or one JSON object per line with {@code
 * --json}. Thread-safe, so that responses arriving on the client's threads print whole lines.
 */
final class Output {

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  synchronized void text(String line) {
    out.println(line);
    out.flush();
  }

  synchronized void object(JsonObject object) {
    out.println(GSON.toJson(object));
    out.flush();
  }
}
