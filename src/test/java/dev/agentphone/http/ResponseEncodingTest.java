package dev.agentphone.http;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers are written with the streaming codec, byte for byte as the default codec writes them. */
class ResponseEncodingTest {
  private static void same(Object body) {
    assertThat(Responses.encode(body).toString()).isEqualTo(Json.encodeToBuffer(body).toString());
  }

  @Test
  void plainJsonValuesGiveTheSameBytes() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("tier", "gold");
    map.put("nothing", null);
    JsonObject body = new JsonObject()
        .put("id", "conv_01")
        .put("text", "Zoë says \"hi\"\n\t\u0001 \u2028 😀 </script>")
        .put("count", 42).put("big", Long.MAX_VALUE).put("negative", -7L)
        .put("speed", 1.0).put("sensitivity", 0.8).put("tiny", 1e-12).put("huge", 3.5e300)
        .put("decimal", new BigDecimal("12.3400")).put("float", 2.5f)
        .put("yes", true).put("no", false).put("none", (Object) null)
        .put("at", Instant.parse("2026-12-01T14:30:09.123Z"))
        .put("nested", new JsonObject().put("list", new JsonArray().add(1).add("two").addNull()
            .add(new JsonObject()).add(new JsonArray())))
        .put("map", map).put("javaList", List.of("a", 1, true));
    same(body);
    same(new JsonArray().add(body).add(body.copy().put("id", "conv_02")));
    same(new JsonObject());
    same("a bare string");
  }

  @Test
  void otherValuesFallBackToTheDefaultCodec() {
    record Point(int x, int y) {
    }
    same(new JsonObject().put("point", new Point(1, 2)));
  }
}
