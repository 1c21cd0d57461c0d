package dev.agentphone.platform;

import dev.agentphone.support.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every default lives in conf/agentphone.json: the code asks for settings by path and a setting
 * nobody declared, or a required one without a value, stops the engine naming it.
 */
class AppConfigTest {
  @Test
  void aSettingDeclaredNowhereFailsNamingItsPath() {
    AppConfig config = AppConfig.withOverrides(Map.of());
    assertThatThrownBy(() -> config.integer("http.notASetting"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http.notASetting");
  }

  @Test
  void aFileWrittenForAnOlderVersionGetsTheBundledDefaultsOfWhatItLacks(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("agentphone.json");
    Files.writeString(file, "{\"http\": {\"port\": 9123}}");
    AppConfig config = AppConfig.load(Map.of("AGENTPHONE_CONFIG", file.toString()));
    assertThat(config.httpPort()).isEqualTo(9123);
    assertThat(config.integer("http.maxHeaderSize")).isEqualTo(8192);
    assertThat(config.string("voice.defaultVoice")).isEqualTo("11labs-Adrian");
  }

  @Test
  void environmentVariablesOverrideTheFileAndAreReadAsTheirType() {
    AppConfig config = AppConfig.load(Map.of("AGENTPHONE_HTTP_PORT", "9090",
        "AGENTPHONE_CLUSTER", "true", "AGENTPHONE_DATABASE_URL", " "));
    assertThat(config.integer("http.port")).isEqualTo(9090);
    assertThat(config.bool("cluster.enabled")).isTrue();
    assertThat(config.optionalString("database.url")).isNull();
    assertThatThrownBy(() -> AppConfig.load(Map.of("AGENTPHONE_HTTP_PORT", "eighty"))
        .httpPort()).hasMessageContaining("http.port");
  }

  @Test
  void withoutAPublicUrlProvidersAreToldThisMachineOnTheConfiguredPort() {
    assertThat(AppConfig.load(Map.of("AGENTPHONE_HTTP_PORT", "9123")).publicUrl())
        .isEqualTo("http://localhost:9123");
    assertThat(AppConfig.load(Map.of("AGENTPHONE_HTTP_PORT", "9123",
        "AGENTPHONE_PUBLIC_URL", "https://phones.example.com/")).publicUrl())
        .isEqualTo("https://phones.example.com");
  }

  @Test
  void anEngineWhoseRequiredSettingHasNoValueDoesNotStartAndSaysWhich() {
    assertThatThrownBy(() -> TestEngine.builder().config("voice.fallbackMessage", null).start())
        .rootCause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("setting voice.fallbackMessage must have a value");
  }
}
