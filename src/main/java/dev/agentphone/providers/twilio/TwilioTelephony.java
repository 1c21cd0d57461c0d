package dev.agentphone.providers.twilio;

import com.twilio.base.Page;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.rest.api.v2010.account.availablephonenumbercountry.Local;
import com.twilio.rest.api.v2010.account.availablephonenumbercountry.LocalReader;
import com.twilio.type.PhoneNumber;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.telephony.Telephony;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Twilio through its official SDK. The SDK blocks, so every call runs on a worker thread
 * ({@code executeBlocking}, unordered so calls of different requests run side by side).
 */
public final class TwilioTelephony implements Telephony {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioTelephony.class);
  private final Vertx vertx;
  private final TwilioRestClient client;
  private final String publicUrl;

  public TwilioTelephony(Vertx vertx, TwilioRestClient client, String publicUrl) {
    this.vertx = vertx;
    this.client = client;
    this.publicUrl = publicUrl;
  }

  @Override
  public String name() {
    return "twilio";
  }

  @Override
  public Future<ProvisionedNumber> buy(String country, String areaCode) {
    return blocking("buy a number", () -> {
      LocalReader search = Local.reader(country).setSmsEnabled(true).setPageSize(20L);
      if (areaCode != null) {
        search.setAreaCode(Integer.valueOf(areaCode));
      }
      Page<Local> page = search.firstPage(client);
      if (page.getRecords().isEmpty()) {
        throw ApiError.badRequest("No SMS-capable numbers available in "
            + (areaCode != null ? "area code " + areaCode + ", " : "") + country
            + "; try another area code");
      }
      PhoneNumber chosen = page.getRecords().get(0).getPhoneNumber();
      IncomingPhoneNumber bought = IncomingPhoneNumber.creator(chosen).create(client);
      try {
        IncomingPhoneNumber.updater(bought.getSid())
            .setSmsUrl(URI.create(publicUrl + TwilioWebhookRoutes.SMS_PATH))
            .setSmsMethod(HttpMethod.POST)
            .setStatusCallback(URI.create(publicUrl + TwilioWebhookRoutes.STATUS_PATH))
            .update(client);
      } catch (RuntimeException e) {
        // A number we cannot receive on is useless: give it back rather than pay for it.
        releaseQuietly(bought.getSid());
        throw e;
      }
      return new ProvisionedNumber(bought.getPhoneNumber().toString(), country, bought.getSid());
    });
  }

  private void releaseQuietly(String sid) {
    try {
      IncomingPhoneNumber.deleter(sid).delete(client);
    } catch (RuntimeException e) {
      LOG.warn("could not release Twilio number {} after a failed purchase", sid, e);
    }
  }

  @Override
  public Future<Void> release(ProvisionedNumber number) {
    return blocking("release the number", () -> {
      try {
        IncomingPhoneNumber.deleter(number.providerSid()).delete(client);
      } catch (ApiException e) {
        if (e.getStatusCode() == null || e.getStatusCode() != 404) {
          throw e;
        }
      }
      return null;
    });
  }

  @Override
  public Future<SentMessage> send(OutboundMessage message) {
    return blocking("send the message", () -> {
      PhoneNumber to = new PhoneNumber(message.to());
      PhoneNumber from = new PhoneNumber(message.from());
      List<URI> media = message.mediaUrls().stream().map(URI::create).toList();
      MessageCreator creator = message.body() == null || message.body().isEmpty()
          ? Message.creator(to, from, media)
          : Message.creator(to, from, message.body());
      if (!media.isEmpty()) {
        creator.setMediaUrl(media);
      }
      creator.setStatusCallback(URI.create(publicUrl + TwilioWebhookRoutes.STATUS_PATH
          + "?messageId=" + message.messageId()));
      Message sent = creator.create(client);
      return new SentMessage(sent.getSid(),
          sent.getStatus() == null ? "queued" : sent.getStatus().toString());
    });
  }

  private <T> Future<T> blocking(String what, Callable<T> call) {
    return vertx.executeBlocking(call, false).recover(failure ->
        Future.failedFuture(translate(what, failure)));
  }

  /** Twilio's refusals of what the caller asked become 400s; its own failures 502s. */
  static Throwable translate(String what, Throwable failure) {
    if (failure instanceof ApiError) {
      return failure;
    }
    if (failure instanceof ApiException api) {
      Integer status = api.getStatusCode();
      String detail = "Twilio could not " + what + ": " + api.getMessage()
          + (api.getCode() != null ? " (Twilio error " + api.getCode() + ")" : "");
      if (status != null && (status == 400 || status == 404 || status == 409 || status == 422)) {
        return new ApiError(400, detail);
      }
      LOG.warn("Twilio failed to {}: status {}, code {}: {}", what, status, api.getCode(),
          api.getMessage());
      return new ApiError(502, detail);
    }
    if (failure instanceof TwilioException) {
      LOG.warn("Twilio unreachable trying to {}", what, failure);
      return new ApiError(502, "Twilio could not " + what + ": the provider is unreachable");
    }
    return failure;
  }
}
