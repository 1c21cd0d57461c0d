package dev.agentphone.platform;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A verticle deployed on a chosen event loop starts, runs its timers and stops on that loop,
 * and is otherwise a deployment like any other: its id undeploys it, and a start that fails
 * leaves nothing deployed. It relies on Vert.x internals, so this is what an upgrade must keep.
 */
class EventLoopDeploymentTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Records the thread of its start, of a timer and of its stop. */
  static final class Recorder extends VerticleBase {
    final List<Thread> threads = new ArrayList<>();
    final CompletableFuture<Void> timed = new CompletableFuture<>();
    final boolean fail;

    Recorder(boolean fail) {
      this.fail = fail;
    }

    @Override
    public Future<?> start() {
      threads.add(Thread.currentThread());
      if (fail) {
        return Future.failedFuture("refused");
      }
      vertx.setTimer(1, t -> {
        threads.add(Thread.currentThread());
        timed.complete(null);
      });
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      threads.add(Thread.currentThread());
      return Future.succeededFuture();
    }
  }

  private static List<EventLoop> loops() {
    List<EventLoop> loops = new ArrayList<>();
    ((VertxInternal) vertx).nettyEventLoopGroup().forEach(e -> loops.add((EventLoop) e));
    return loops;
  }

  @Test
  void everyVerticleRunsOnTheLoopItWasGiven() throws Exception {
    for (EventLoop loop : loops()) {
      Recorder verticle = new Recorder(false);
      String id = await(EventLoopDeployment.deploy(vertx, verticle, loop));
      verticle.timed.get(10, TimeUnit.SECONDS);
      assertThat(vertx.deploymentIDs()).contains(id);
      await(vertx.undeploy(id));
      assertThat(vertx.deploymentIDs()).doesNotContain(id);
      assertThat(verticle.threads).hasSize(3);
      for (Thread thread : verticle.threads) {
        assertThat(loop.inEventLoop(thread)).isTrue();
      }
    }
  }

  @Test
  void aStartThatFailsLeavesNothingDeployed() {
    int before = vertx.deploymentIDs().size();
    assertThatThrownBy(() -> await(EventLoopDeployment.deploy(vertx, new Recorder(true),
        loops().get(0)))).hasMessageContaining("refused");
    assertThat(vertx.deploymentIDs()).hasSize(before);
  }
}
