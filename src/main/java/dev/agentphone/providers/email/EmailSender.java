package dev.agentphone.providers.email;

import dev.agentphone.platform.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** Sends transactional email (signup codes). */
public interface EmailSender {
  Future<Void> send(String to, String subject, String text);

  /**
   * SMTP when a host is configured; otherwise, in sandbox mode, the sandbox outbox. Live mode
   * without SMTP is refused at start-up: nobody could ever read a signup code.
   */
  static EmailSender create(Vertx vertx, AppConfig config, Pool pool) {
    String host = config.optionalString("email.smtpHost");
    if (host != null) {
      return new SmtpEmailSender(vertx, config);
    }
    if (!config.sandbox()) {
      throw new IllegalStateException("live mode needs AGENTPHONE_SMTP_HOST to send signup codes");
    }
    return new SandboxOutbox(pool);
  }
}
