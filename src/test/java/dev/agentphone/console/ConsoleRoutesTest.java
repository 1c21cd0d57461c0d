package dev.agentphone.console;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's assets over plain HTTP: served from the jar, without a key, locked down. */
class ConsoleRoutesTest {
  private static final Pattern IMPORT = Pattern.compile("from '(\\.{1,2}/[^']+\\.js)'");

  static TestEngine engine;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void slashlessPathRedirectsToThePage() {
    Api.Response response = engine.api.get("/console", null);
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("location")).isEqualTo("/console/");
  }

  @Test
  void pageIsServedWithoutAKeyUnderAStrictContentSecurityPolicy() {
    Api.Response page = engine.api.get("/console/", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
    assertThat(page.body()).contains("<script type=\"module\" src=\"js/main.js\"></script>");
    assertThat(page.header("content-security-policy"))
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(page.header("x-frame-options")).isEqualTo("DENY");
    assertThat(page.header("referrer-policy")).isEqualTo("no-referrer");
    assertThat(page.header("x-content-type-options")).isEqualTo("nosniff");
  }

  @Test
  void everyModuleTheScriptImportsIsServedAsJavaScript() {
    Set<String> seen = new LinkedHashSet<>();
    load("/console/js/main.js", seen);
    assertThat(seen).contains("/console/js/api.js", "/console/js/charts.js",
        "/console/js/views/calls.js", "/console/js/views/usage.js");
    Api.Response css = engine.api.get("/console/css/console.css", null);
    assertThat(css.status()).isEqualTo(200);
    assertThat(css.header("content-type")).startsWith("text/css");
  }

  @Test
  void unknownAssetIs404() {
    assertThat(engine.api.get("/console/js/missing.js", null).status()).isEqualTo(404);
  }

  private static void load(String path, Set<String> seen) {
    if (!seen.add(path)) {
      return;
    }
    Api.Response module = engine.api.get(path, null);
    assertThat(module.status()).as(path).isEqualTo(200);
    // browsers refuse a module script served with any other type
    assertThat(module.header("content-type")).as(path).contains("javascript");
    Matcher imports = IMPORT.matcher(module.body());
    String dir = path.substring(0, path.lastIndexOf('/') + 1);
    while (imports.find()) {
      load(java.net.URI.create(dir).resolve(imports.group(1)).getPath(), seen);
    }
  }
}
