package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Secrets an installation generates for itself when none is configured, kept in
 * {@code engine_secrets}: the first node to start writes one, every node (then and later) reads
 * the one stored, so a cluster agrees on it.
 */
public final class EngineSecrets {
  private EngineSecrets() {
  }

  /** The secret called {@code name}: 32 random bytes, hex-encoded, generated once. */
  public static Future<String> generatedOnce(Pool pool, String name) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return pool.preparedQuery("INSERT INTO engine_secrets (name, value) VALUES ($1, $2) "
            + "ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(name, HexFormat.of().formatHex(random)))
        .compose(r -> pool.preparedQuery("SELECT value FROM engine_secrets WHERE name = $1")
            .execute(Tuple.of(name)))
        .map(rows -> rows.iterator().next().getString("value"));
  }
}
