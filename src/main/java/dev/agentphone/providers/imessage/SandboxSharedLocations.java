package dev.agentphone.providers.imessage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Shared locations in sandbox mode. Every phone asked about shares its position, which is fixed
 * per phone number: a point in the contiguous United States derived from the number's SHA-256,
 * with status {@code live}. A phone first reports when it is first asked about; a refresh makes
 * every phone of the account report again {@code pollAfterSeconds} later, which is then its
 * {@code lastUpdated}.
 */
public final class SandboxSharedLocations implements SharedLocations {
  private final Pool pool;
  private final int pollAfterSeconds;

  public SandboxSharedLocations(Pool pool, int pollAfterSeconds) {
    this.pool = pool;
    this.pollAfterSeconds = pollAfterSeconds;
  }

  /** Applies a refresh that came in since the phone last reported, or reports for the first time. */
  @Override
  public Future<Fix> locate(String accountId, String phoneNumber) {
    return pool.preparedQuery("INSERT INTO sandbox_location_fixes AS f (account_id, "
            + "phone_number, reported_at) VALUES ($1, $2, now()) ON CONFLICT (account_id, "
            + "phone_number) DO UPDATE SET reported_at = GREATEST(f.reported_at, COALESCE(("
            + "SELECT r.ready_at FROM sandbox_location_refreshes r WHERE r.account_id = $1 "
            + "AND r.ready_at <= now()), f.reported_at)) RETURNING reported_at")
        .execute(Tuple.of(accountId, phoneNumber))
        .map(rows -> {
          double[] point = point(phoneNumber);
          return new Fix(point[0], point[1], "live",
              rows.iterator().next().getOffsetDateTime("reported_at").toInstant().toEpochMilli());
        });
  }

  /**
   * A refresh that already came in is applied to the phones it reached before the next one
   * replaces it, so no report is skipped.
   */
  @Override
  public Future<Integer> refresh(String accountId) {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE sandbox_location_fixes f SET "
                + "reported_at = r.ready_at FROM sandbox_location_refreshes r "
                + "WHERE r.account_id = $1 AND f.account_id = $1 AND r.ready_at <= now() "
                + "AND f.reported_at < r.ready_at")
            .execute(Tuple.of(accountId))
            .compose(applied -> tx.preparedQuery("INSERT INTO sandbox_location_refreshes "
                    + "(account_id, ready_at) VALUES ($1, now() + make_interval(secs => $2)) "
                    + "ON CONFLICT (account_id) DO UPDATE SET ready_at = EXCLUDED.ready_at")
                .execute(Tuple.of(accountId, (double) pollAfterSeconds))))
        .map(done -> pollAfterSeconds);
  }

  /** Latitude 25..49 and longitude -124..-67 (five decimals), the same for a number each time. */
  static double[] point(String phoneNumber) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256")
          .digest(phoneNumber.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    ByteBuffer bits = ByteBuffer.wrap(digest);
    long latitude = Integer.toUnsignedLong(bits.getInt()) % 2_400_001L;
    long longitude = Integer.toUnsignedLong(bits.getInt()) % 5_700_001L;
    return new double[] {(2_500_000L + latitude) / 100_000.0,
        (-12_400_000L + longitude) / 100_000.0};
  }
}
