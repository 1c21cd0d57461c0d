package dev.agentphone.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A failure the client caused or must know about: carries the HTTP status and the FastAPI-shaped
 * {@code detail} (a sentence, or a list of validation errors for 422).
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final Object detail;

  public ApiError(int status, Object detail) {
    super(detail instanceof String s ? s : String.valueOf(detail), null, false, false);
    this.status = status;
    this.detail = detail;
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, what + " not found");
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(400, detail);
  }

  public static ApiError conflict(String detail) {
    return new ApiError(409, detail);
  }

  /** A single 422 validation error in FastAPI's shape. */
  public static ApiError invalid(JsonArray loc, String type, String msg) {
    return new ApiError(422, new JsonArray().add(
        new JsonObject().put("loc", loc).put("msg", msg).put("type", type)));
  }

  public int status() {
    return status;
  }

  public Object detail() {
    return detail;
  }

  public JsonObject body() {
    return new JsonObject().put("detail", detail);
  }
}
