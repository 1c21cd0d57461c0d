package dev.agentphone.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;

import java.util.function.Supplier;

/**
 * A closed-loop load generator: {@code concurrency} callers each start their next operation as
 * soon as the previous one finished, for a warm-up and then a measured window. Everything runs on
 * one event loop of the load generator's Vert.x, so the histogram needs no locking. Only
 * operations started inside the measured window count.
 */
final class ClosedLoop {
  /** One measured run. Latencies in microseconds; throughput counts successes only. */
  record Result(long operations, long errors, double seconds, Histogram latencies) {
    double throughput() {
      return (operations - errors) / seconds;
    }

    double millis(double percentile) {
      return latencies.getTotalCount() == 0 ? 0
          : latencies.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private final Context context;
  private final Supplier<Future<?>> operation;
  private final Histogram latencies = new Histogram(60_000_000L, 3);
  private final Promise<Result> done = Promise.promise();
  private long warmEnd;
  private long end;
  private int active;
  private long operations;
  private long errors;
  private double seconds;

  private ClosedLoop(Context context, Supplier<Future<?>> operation) {
    this.context = context;
    this.operation = operation;
  }

  static Future<Result> run(Vertx vertx, int concurrency, double warmupSeconds,
      double measureSeconds, Supplier<Future<?>> operation) {
    Context context = vertx.getOrCreateContext();
    ClosedLoop loop = new ClosedLoop(context, operation);
    context.runOnContext(v -> {
      long start = System.nanoTime();
      loop.warmEnd = start + (long) (warmupSeconds * 1e9);
      loop.end = loop.warmEnd + (long) (measureSeconds * 1e9);
      loop.seconds = measureSeconds;
      loop.active = concurrency;
      for (int i = 0; i < concurrency; i++) {
        loop.next();
      }
    });
    return loop.done.future();
  }

  private void next() {
    long started = System.nanoTime();
    if (started >= end) {
      if (--active == 0) {
        done.complete(new Result(operations, errors, seconds, latencies));
      }
      return;
    }
    Future<?> pending;
    try {
      pending = operation.get();
    } catch (Throwable failure) {
      pending = Future.failedFuture(failure);
    }
    pending.onComplete(outcome -> {
      if (started >= warmEnd) {
        operations++;
        if (outcome.succeeded()) {
          latencies.recordValue(Math.max(1, (System.nanoTime() - started) / 1_000));
        } else {
          errors++;
          if (errors <= 3) {
            System.out.println("  error: " + outcome.cause());
          }
        }
      }
      // a fresh stack each time: an operation may complete synchronously
      context.runOnContext(v -> next());
    });
  }
}
