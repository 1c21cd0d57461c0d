package dev.agentphone.platform;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.impl.ContextBuilderImpl;
import io.vertx.core.internal.CloseFuture;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.Deployment;
import io.vertx.core.internal.deployment.DeploymentContext;

import java.util.Set;

/**
 * One verticle deployed on a chosen event loop: a deployment like any other (its id undeploys
 * it, it is a child of the deploying verticle, its timers and consumers go with it), only its
 * context runs on {@code loop} instead of the next loop in turn.
 *
 * <p>Vert.x 5 has no deployment option for this: {@code vertx.deployVerticle} always builds the
 * context on the next loop of the group. So this does what its own deployment does for one
 * instance ({@code DefaultDeployment} in 5.0) with the loop given to the context builder. It
 * uses Vert.x's internal deployment API; a Vert.x upgrade must keep the tests that check a call
 * session runs on its socket's loop green.
 */
public final class EventLoopDeployment implements Deployment {
  private static final io.vertx.core.internal.logging.Logger LOG =
      io.vertx.core.internal.logging.LoggerFactory.getLogger(EventLoopDeployment.class);

  private final VertxInternal vertx;
  private final Deployable verticle;
  private final EventLoop loop;
  private final ClassLoader classLoader;
  private ContextInternal context;
  /** Until the verticle has started: an undeploy before then fails the start instead. */
  private Promise<Object> starting;

  private EventLoopDeployment(VertxInternal vertx, Deployable verticle, EventLoop loop) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.loop = loop;
    ClassLoader tccl = Thread.currentThread().getContextClassLoader();
    this.classLoader = tccl != null ? tccl : EventLoopDeployment.class.getClassLoader();
  }

  /** Deploys {@code verticle} on {@code loop}; answers its deployment id. */
  public static Future<String> deploy(Vertx vertx, Deployable verticle, EventLoop loop) {
    VertxInternal internal = (VertxInternal) vertx;
    ContextInternal caller = internal.getOrCreateContext();
    return internal.deploymentManager()
        .deploy(caller.deployment(), caller, new EventLoopDeployment(internal, verticle, loop))
        .map(DeploymentContext::id);
  }

  @Override
  public Set<Context> contexts() {
    return context == null ? Set.of() : Set.of(context);
  }

  @Override
  public Set<Deployable> instances() {
    return Set.of(verticle);
  }

  @Override
  public DeploymentOptions options() {
    return new DeploymentOptions();
  }

  @Override
  public String identifier() {
    return "java:" + verticle.getClass().getName();
  }

  @Override
  public Future<?> deploy(DeploymentContext deployment) {
    context = ((ContextBuilderImpl) vertx.contextBuilder())
        .withDeploymentContext(deployment)
        .withCloseFuture(new CloseFuture(LOG))
        .withClassLoader(classLoader)
        .withEventLoop(loop)
        .build();
    ContextInternal ctx = context;
    Promise<Object> started = ctx.promise();
    starting = started;
    ctx.runOnContext(v -> {
      try {
        verticle.deploy(ctx).onComplete(started);
      } catch (Throwable t) {
        started.tryFail(t);
      }
    });
    return started.future()
        .andThen(ar -> {
          if (ar.succeeded()) {
            starting = null;
          }
        })
        .transform(ar -> ar.failed() ? undeploy().transform(x -> Future.failedFuture(ar.cause()))
            : Future.succeededFuture());
  }

  @Override
  public Future<?> undeploy() {
    ContextInternal ctx = context;
    Promise<Object> started = starting;
    if (started != null) {
      return started.tryFail(new VertxException("Verticle un-deployed", true))
          ? ctx.closeFuture().future() : Future.succeededFuture();
    }
    Promise<Object> done = Promise.promise();
    ctx.runOnContext(v -> {
      Future<?> stopped;
      try {
        stopped = verticle.undeploy(ctx);
      } catch (Throwable t) {
        stopped = Future.failedFuture(t);
      }
      stopped.eventually(() -> ctx.close()
              .onFailure(e -> LOG.error("Failed to run close hook", e)))
          .onComplete(done);
    });
    return done.future();
  }

  @Override
  public Future<?> cleanup() {
    return context == null ? Future.succeededFuture() : context.closeFuture().close();
  }
}
