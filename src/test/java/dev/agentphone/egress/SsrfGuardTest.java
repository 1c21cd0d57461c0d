package dev.agentphone.egress;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.support.SilentNameServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SsrfGuardTest {
  static Vertx vertx;
  static HostLookup lookup;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    lookup = HostLookup.from(vertx, AppConfig.withOverrides(Map.of()));
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.0.0.1", "10.255.1.2", "172.16.0.1",
      "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.254",
      "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "::1", "::",
      "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "fe80::1", "fc00::1",
      "fd12:3456::1", "ff02::1", "64:ff9b::a9fe:a9fe", "::127.0.0.1"})
  void refusesNonPublicAddresses(String literal) throws Exception {
    assertThat(SsrfGuard.forbiddenReason(InetAddress.getByName(literal))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "11.0.0.1",
      "2606:4700::1111", "::ffff:8.8.8.8"})
  void acceptsPublicAddresses(String literal) throws Exception {
    assertThat(SsrfGuard.forbiddenReason(InetAddress.getByName(literal))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:9000/hook", "http://[::1]/hook",
      "http://[::ffff:127.0.0.1]/hook", "http://localhost:8080/hook", "https://10.0.0.8/x",
      "http://169.254.169.254/latest/meta-data", "http://2130706433/", "http://0x7f.1/",
      "http://0177.0.0.1/", "http://127.1:8080/", "http://0xa9.0xfe.0xa9.0xfe/"})
  void resolveRefusesUrlsReachingPrivateAddresses(String url) {
    assertThatThrownBy(() -> new SsrfGuard(lookup, false).resolve(url)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SsrfGuard.Refused.class);
  }

  @Test
  void resolveConnectsToTheCheckedAddressKeepingTheNameAsVirtualHost() throws Exception {
    SsrfGuard.Target target = new SsrfGuard(lookup, false)
        .resolve("https://93.184.215.14:8443/a/b?c=d")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(target.connectHost()).isEqualTo("93.184.215.14");
    assertThat(target.port()).isEqualTo(8443);
    assertThat(target.ssl()).isTrue();
    assertThat(target.requestUri()).isEqualTo("/a/b?c=d");
  }

  @Test
  void allowedPrivateTargetsAreNotRefused() throws Exception {
    SsrfGuard.Target target = new SsrfGuard(lookup, true).resolve("http://localhost:9/hook")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(target.host()).isEqualTo("localhost");
  }

  /**
   * A name server that never answers fails the lookup after the configured time-out (no worker
   * thread waits for it), and a name in the hosts file is still found meanwhile.
   */
  @Test
  void aLookupTheNameServerNeverAnswersFailsAfterTheTimeOut() throws Exception {
    try (SilentNameServer silent = new SilentNameServer()) {
      Vertx own = Vertx.vertx();
      try {
        HostLookup silentDns = HostLookup.from(own, AppConfig.withOverrides(Map.of(
            "webhooks.dns.servers", silent.address(), "webhooks.dns.timeoutMillis", 300)));
        List<CompletableFuture<SsrfGuard.Target>> lookups = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          lookups.add(new SsrfGuard(silentDns, false)
              .resolve("https://hook-" + i + ".never-answers.test/x")
              .toCompletionStage().toCompletableFuture());
        }
        SsrfGuard.Target local = new SsrfGuard(silentDns, true).resolve("http://localhost:9/hook")
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(local.connectHost()).isEqualTo("127.0.0.1");
        for (CompletableFuture<SsrfGuard.Target> lookup : lookups) {
          assertThatThrownBy(() -> lookup.get(10, TimeUnit.SECONDS))
              .hasCauseInstanceOf(HostLookup.TimedOut.class)
              .hasMessageContaining("did not answer within 300 ms");
        }
        assertThat(silent.queries()).isGreaterThanOrEqualTo(40);
      } finally {
        own.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void onlyHttpAndHttpsUrlsHaveAnAcceptableForm() {
    assertThat(SsrfGuard.formProblem("ftp://example.com/x")).contains("http");
    assertThat(SsrfGuard.formProblem("file:///etc/passwd")).isNotNull();
    assertThat(SsrfGuard.formProblem("not a url")).isNotNull();
    assertThat(SsrfGuard.formProblem("https://example.com/hook")).isNull();
  }
}
