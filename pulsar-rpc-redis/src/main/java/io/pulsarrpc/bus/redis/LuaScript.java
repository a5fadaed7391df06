package io.pulsarrpc.bus.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run with EVALSHA, falling back to EVAL (which caches it again) when Redis does not
 * know it: after a restart or {@code SCRIPT FLUSH}, its script cache is empty.
 */
final class LuaScript {

  private final String name;
  private final String text;
  private final String sha1;

  LuaScript(String name, String text) {
    this.name = name;
    this.text = text;
    this.sha1 = sha1(text);
  }

  /** Runs the script; the future completes on a Lettuce thread. */
  <T> CompletableFuture<T> run(
      RedisAsyncCommands<byte[], byte[]> commands,
      ScriptOutputType output,
      byte[][] keys,
      byte[]... args) {
    CompletableFuture<T> first =
        commands.<T>evalsha(sha1, output, keys, args).toCompletableFuture();
    return first.exceptionallyCompose(
        error -> {
          Throwable cause = error instanceof CompletionException ? error.getCause() : error;
          if (cause instanceof RedisNoScriptException) {
            return commands.<T>eval(text, output, keys, args).toCompletableFuture();
          }
          return CompletableFuture.failedFuture(cause);
        });
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + "]";
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
