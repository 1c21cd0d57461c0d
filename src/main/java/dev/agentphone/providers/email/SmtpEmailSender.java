package dev.agentphone.providers.email;

import dev.agentphone.platform.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

/** Email over SMTP with the Vert.x mail client. */
final class SmtpEmailSender implements EmailSender {
  private final MailClient client;
  private final String from;

  SmtpEmailSender(Vertx vertx, AppConfig config) {
    MailConfig mail = new MailConfig()
        .setHostname(config.string("email.smtpHost"))
        .setPort(config.integer("email.smtpPort"))
        .setStarttls(config.bool("email.smtpStartTls")
            ? StartTLSOptions.OPTIONAL : StartTLSOptions.DISABLED);
    String user = config.optionalString("email.smtpUsername");
    if (user != null) {
      mail.setUsername(user).setPassword(config.optionalString("email.smtpPassword"));
    }
    this.client = MailClient.createShared(vertx, mail, "agentphone-smtp");
    this.from = config.string("email.from");
  }

  @Override
  public Future<Void> send(String to, String subject, String text) {
    return client.sendMail(new MailMessage().setFrom(from).setTo(to).setSubject(subject)
        .setText(text)).mapEmpty();
  }
}
