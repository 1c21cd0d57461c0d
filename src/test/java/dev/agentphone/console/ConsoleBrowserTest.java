package dev.agentphone.console;

import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.FileServer;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console end to end in a real headless Chromium against a running engine in sandbox mode:
 * one account, one browser, the flows in the order a developer would try them. Screenshots of the
 * main views land in {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static TestEngine engine;
  static CustomerWebhook receiver;
  static HeadlessChromium chromium;
  static String key;
  static String base;

  /** Shared between the ordered steps: what earlier steps created. */
  static String agentId;
  static String boughtNumber;

  @BeforeAll
  static void start() {
    // one attempt per delivery, so a refused one is a dead letter at once (for the replay views)
    engine = TestEngine.builder().config("webhooks.maxAttempts", 1).start();
    receiver = new CustomerWebhook();
    key = engine.signUp("console-" + System.nanoTime() + "@example.com").getString("api_key");
    base = "http://localhost:" + engine.port;
    chromium = HeadlessChromium.start();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    receiver.close();
    engine.close();
  }

  @AfterEach
  void pageLoggedNoErrors() {
    assertThat(chromium.pageErrors()).as("errors in the page's console").isEmpty();
  }

  @Test
  @Order(1)
  @SuppressWarnings("unchecked")
  void signsInWithAKeyKeptInTheTabSessionOnly() {
    open("/console");
    assertThat(chromium.driver.getCurrentUrl()).endsWith("/console/");
    type(By.cssSelector("#sign-in input[name=key]"), "sk_live_not-a-real-key");
    click(By.cssSelector("#sign-in button[type=submit]"));
    waitForText(By.cssSelector("#sign-in .error"), "This key was not accepted.");

    WebElement input = find(By.cssSelector("#sign-in input[name=key]"));
    input.clear();
    input.sendKeys(key);
    click(By.cssSelector("#sign-in button[type=submit]"));
    waitForText(By.tagName("h1"), "Agents");
    waitForText(By.cssSelector("main table"), "My Agent");
    assertThat(find(By.id("mode")).getText()).isEqualTo("Sandbox");

    Object stored = chromium.driver.executeScript(
        "return [sessionStorage.getItem('agentphone.console.apiKey'), localStorage.length,"
            + " document.cookie]");
    assertThat((List<Object>) stored).containsExactly(key, 0L, "");
  }

  @Test
  @Order(2)
  void createsAndEditsAnAgent() {
    open("/console/#/agents");
    WebElement form = waitFor(By.cssSelector("section[aria-labelledby=agent-new] form"));
    form.findElement(By.name("name")).sendKeys("Front desk");
    new Select(form.findElement(By.name("voiceMode"))).selectByValue("hosted");
    form.findElement(By.name("systemPrompt")).sendKeys("You take table reservations.");
    form.findElement(By.name("beginMessage")).sendKeys("Front desk, how can I help?");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    waitFor(By.linkText("Front desk")).click();

    WebElement settings = waitFor(By.cssSelector("section[aria-labelledby=agent-edit] form"));
    WebElement prompt = settings.findElement(By.name("systemPrompt"));
    assertThat(prompt.getDomProperty("value")).isEqualTo("You take table reservations.");
    prompt.clear();
    prompt.sendKeys("You take table reservations for up to eight people.");
    settings.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("flash"), "Agent saved.");

    JsonObject agent = agents().stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("name").equals("Front desk")).findFirst().orElseThrow();
    assertThat(agent.getString("systemPrompt"))
        .isEqualTo("You take table reservations for up to eight people.");
    assertThat(agent.getString("voiceMode")).isEqualTo("hosted");
    agentId = agent.getString("id");
    open("/console/#/agents");
    waitForText(By.cssSelector("main table"), "Front desk");
    chromium.screenshot("agents");
  }

  @Test
  @Order(3)
  void showsAndEditsAnAgentsVoiceSettings() {
    String id = agents().stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("name").equals("Front desk")).findFirst().orElseThrow()
        .getString("id");
    open("/console/#/agents/" + id);
    WebElement settings = waitFor(By.cssSelector("section[aria-labelledby=agent-edit] form"));
    // an agent that never set them shows the defaults
    assertThat(new Select(settings.findElement(By.name("language"))).getFirstSelectedOption()
        .getText()).isEqualTo("en-US");
    assertThat(settings.findElement(By.name("voiceSpeed")).getDomProperty("value"))
        .isEqualTo("1");
    assertThat(settings.findElement(By.name("enableBackchannel")).isSelected()).isTrue();

    new Select(settings.findElement(By.name("language"))).selectByValue("de-DE");
    WebElement speed = settings.findElement(By.name("voiceSpeed"));
    speed.clear();
    speed.sendKeys("1.25");
    new Select(settings.findElement(By.name("ambientSound"))).selectByValue("coffee-shop");
    settings.findElement(By.name("enableBackchannel")).click();
    settings.findElement(By.name("callScreeningIdentity")).sendKeys("Front desk of Acme");
    WebElement tools = settings.findElement(By.name("customTools"));
    tools.sendKeys("[{\"name\": \"tables\", \"description\": \"Free tables\","
        + " \"url\": \"https://example.com/tables\"");
    settings.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.cssSelector("section[aria-labelledby=agent-edit] .error"), "not valid JSON");

    tools.sendKeys("}]");
    clearFlash(); // the previous test's "Agent saved." may still be shown
    settings.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("flash"), "Agent saved.");
    JsonObject agent = engine.api.get("/v1/agents/" + id, key).json();
    assertThat(agent.getString("language")).isEqualTo("de-DE");
    assertThat(agent.getDouble("voiceSpeed")).isEqualTo(1.25);
    assertThat(agent.getString("ambientSound")).isEqualTo("coffee-shop");
    assertThat(agent.getBoolean("enableBackchannel")).isFalse();
    assertThat(agent.getString("callScreeningIdentity")).isEqualTo("Front desk of Acme");
    assertThat(agent.getJsonArray("customTools").getJsonObject(0).getString("name"))
        .isEqualTo("tables");
    assertThat(agent.getString("systemPrompt"))
        .isEqualTo("You take table reservations for up to eight people.");
    // the saved values are what the form shows again
    waiting().until(d -> "1.25".equals(d.findElement(By.cssSelector(
        "section[aria-labelledby=agent-edit] input[name=voiceSpeed]")).getDomProperty("value")));
    chromium.screenshot("agent-voice-settings");
  }

  @Test
  @Order(4)
  void buysANumberForTheAgent() {
    open("/console/#/numbers");
    WebElement form = waitFor(By.id("buy-number"));
    form.findElement(By.name("areaCode")).sendKeys("415");
    new Select(form.findElement(By.name("agentId"))).selectByVisibleText("Front desk");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("flash"), "Bought +1415");

    JsonObject number = engine.api.get("/v1/numbers?limit=100", key).json().getJsonArray("data")
        .stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("phoneNumber").startsWith("+1415")).findFirst().orElseThrow();
    assertThat(number.getString("agentId")).isEqualTo(agentId);
    boughtNumber = number.getString("phoneNumber");
    waitForText(By.cssSelector("main table"), boughtNumber);
    chromium.screenshot("numbers");
  }

  @Test
  @Order(5)
  void configuresTheAccountWebhookAndSendsATest() {
    open("/console/#/webhooks");
    WebElement form = waitFor(By.id("webhook-account"));
    form.findElement(By.name("url")).sendKeys(receiver.url());
    form.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("flash"), "Webhook saved");
    click(By.id("test-account"));
    waitForText(By.cssSelector("section[aria-labelledby=wh-account] .test-result"),
        "Delivered: HTTP 200");
    assertThat(receiver.received).isNotEmpty();
  }

  @Test
  @Order(6)
  void textsTheNumberFromTheSandboxPhoneAndSeesTheConversation() {
    open("/console/#/conversations");
    WebElement phone = waitFor(By.id("phone"));
    WebElement from = phone.findElement(By.name("from"));
    from.clear();
    from.sendKeys("+14105550123");
    new Select(phone.findElement(By.name("to"))).selectByValue(boughtNumber);
    phone.findElement(By.name("body")).sendKeys("Do you have a table for two tonight?");
    phone.findElement(By.cssSelector("button[type=submit]")).click();

    waitForText(By.tagName("h1"), "Conversation with +14105550123");
    waitForText(By.cssSelector(".thread .msg-inbound"), "Do you have a table for two tonight?");

    WebElement reply = find(By.id("agent-reply"));
    reply.findElement(By.name("body")).sendKeys("Yes, at 7pm. See you then!");
    reply.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.cssSelector(".thread .msg-outbound"), "Yes, at 7pm. See you then!");

    WebElement metadata = find(By.name("metadata"));
    metadata.sendKeys("{oops");
    click(By.xpath("//button[text()='Save metadata']"));
    waitForText(By.cssSelector("section[aria-labelledby=conv-meta] .error"), "Not valid JSON");
    metadata.clear();
    metadata.sendKeys("{\"party\": 2, \"time\": \"19:00\"}");
    click(By.xpath("//button[text()='Save metadata']"));
    waitForText(By.id("flash"), "Metadata saved.");
    String conversationId = chromium.driver.getCurrentUrl().replaceAll(".*#/conversations/", "");
    assertThat(engine.api.get("/v1/conversations/" + conversationId, key).json()
        .getJsonObject("metadata")).isEqualTo(new JsonObject().put("party", 2).put("time", "19:00"));
    chromium.screenshot("conversation");

    open("/console/#/conversations");
    waitForText(By.cssSelector("main table"), "+14105550123");
  }

  @Test
  @Order(7)
  void startsASimulatedCallAndWatchesTurnsStreamIntoTheLiveView() {
    open("/console/#/calls");
    // recorded, so the ended call can be played back
    waitForText(By.id("recording-state"), "Off");
    click(By.id("recording-toggle"));
    waitForText(By.id("recording-state"), "On: calls that begin from now on are recorded.");
    assertThat(engine.api.get("/v1/credits/recording", key).json()
        .getBoolean("recordingEnabled")).isTrue();
    WebElement dialer = waitFor(By.id("dialer"));
    new Select(dialer.findElement(By.name("to"))).selectByValue(boughtNumber);
    dialer.findElement(By.cssSelector("button[type=submit]")).click();

    waitForText(By.id("live-state"), "Live");
    WebElement say = waitFor(By.cssSelector("#say input[name=text]"));
    say.sendKeys("Hello, is this the restaurant?");
    click(By.cssSelector("#say button[type=submit]"));
    waitForText(By.id("turns"), "Hello, is this the restaurant?");
    waitForText(By.id("turns"), "Hello! How can I help you today?");
    List<String> turns = chromium.driver.findElements(By.cssSelector("#turns .turn")).stream()
        .map(WebElement::getText).toList();
    assertThat(turns.get(turns.size() - 2)).startsWith("Caller").contains("restaurant");
    assertThat(turns.get(turns.size() - 1)).startsWith("Agent")
        .contains("Hello! How can I help you today?");
    chromium.screenshot("live-call");

    click(By.xpath("//section[@id='caller']//button[text()='Hang up']"));
    waitForText(By.id("live-state"), "Call ended (completed");
    waitForText(By.cssSelector(".facts"), "user_hangup");

    // the recording arrives a moment after the end; the browser loads and decodes it
    WebElement player = new WebDriverWait(chromium.driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("audio#recording")));
    String callId = chromium.driver.getCurrentUrl().replaceAll(".*#/calls/", "");
    assertThat(player.getAttribute("src")).isEqualTo(base + "/v1/calls/" + callId + "/recording");
    Object seconds = new WebDriverWait(chromium.driver, Duration.ofSeconds(10)).until(driver -> {
      Object duration = chromium.driver.executeScript(
          "const a = document.getElementById('recording');"
              + "return a.readyState >= 1 && a.duration > 0 ? a.duration : null;");
      return duration;
    });
    assertThat(((Number) seconds).doubleValue()).isGreaterThan(1.0);
    chromium.screenshot("call-recording");
  }

  @Test
  @Order(8)
  void endsALiveCallThroughTheApi() {
    open("/console/#/calls");
    WebElement dialer = waitFor(By.id("dialer"));
    new Select(dialer.findElement(By.name("to"))).selectByValue(boughtNumber);
    dialer.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("live-state"), "Live");
    click(By.id("end-call"));
    waitForText(By.id("live-state"), "Call ended");
    String callId = chromium.driver.getCurrentUrl().replaceAll(".*#/calls/", "");
    assertThat(engine.api.get("/v1/calls/" + callId, key).json().getString("status"))
        .isNotEqualTo("in-progress");
  }

  @Test
  @Order(9)
  void seesTheDeliveriesInTheLogAndTheHourlyChart() {
    open("/console/#/webhooks");
    By log = By.id("delivery-log");
    waitForText(log, "agent.message");
    // the call's delivery is made once the call has ended; the log shows it after a refresh
    new WebDriverWait(chromium.driver, Duration.ofSeconds(15)).until(driver -> {
      if (driver.findElement(log).getText().contains("agent.call_ended")) {
        return true;
      }
      driver.findElement(By.id("refresh-log")).click();
      return false;
    });
    WebElement sms = find(By.xpath(
        "//div[@id='delivery-log']//tr[td[normalize-space()='agent.message']]"));
    assertThat(sms.getText()).contains("sms").contains("success").contains("200");
    assertThat(chromium.driver.findElements(By.cssSelector("#delivery-stats svg rect.bar-success")))
        .isNotEmpty();
    assertThat(find(By.id("delivery-stats")).getText()).contains("Succeeded");
    chromium.screenshot("webhooks");
  }

  @Test
  @Order(10)
  void showsPlanLimitsAndDailyActivity() {
    open("/console/#/usage");
    WebElement limits = waitFor(By.id("plan-limits"));
    assertThat(limits.getText())
        .contains("Phone numbers")
        .contains("Messages per month 10000")
        .contains("Concurrent calls 5");
    waitFor(By.cssSelector("#daily-usage svg"));
    // today: two messages (the customer's text and the reply) and two calls
    WebElement figures = find(By.cssSelector("#daily-usage details"));
    figures.findElement(By.tagName("summary")).click();
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().substring(5);
    List<String> days = figures.findElements(By.cssSelector("tbody tr")).stream()
        .map(WebElement::getText).toList();
    assertThat(days).anyMatch(day -> day.matches(today + " 2 2 \\d+"));
    chromium.screenshot("usage");
  }

  @Test
  @Order(11)
  void buysAnIMessageNumberAndSetsItsContactCardWithAPhoto() throws Exception {
    open("/console/#/numbers");
    WebElement form = waitFor(By.id("buy-number"));
    new Select(form.findElement(By.name("type"))).selectByValue("imessage");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("flash"), "Bought +1");
    JsonObject line = engine.api.get("/v1/numbers?limit=100", key).json().getJsonArray("data")
        .stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("type").equals("imessage")).findFirst().orElseThrow();

    click(By.linkText(line.getString("phoneNumber")));
    waitForText(By.tagName("h1"), line.getString("phoneNumber"));
    waitForText(By.id("contact-card-shown"), "No contact card");
    try (FileServer photos = new FileServer()) {
      String photo = photos.put("/logo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G',
          0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D});
      WebElement card = waitFor(By.id("contact-card"));
      card.findElement(By.name("firstName")).sendKeys("Order");
      card.findElement(By.name("lastName")).sendKeys("Desk");
      card.findElement(By.name("displayName")).sendKeys("Acme Orders");
      card.findElement(By.name("avatarUrl")).sendKeys(photo);
      card.findElement(By.cssSelector("button[type=submit]")).click();
      waitForText(By.id("flash"), "Contact card of " + line.getString("phoneNumber") + " saved.");
      waitForText(By.id("contact-card-shown"), "Recipients see: Acme Orders · Order Desk");
      assertThat(find(By.id("contact-card-shown")).getText()).contains("photo")
          .doesNotContain("no photo");
      assertThat(photos.requests.get()).isEqualTo(1);
    }
    assertThat(waitFor(By.id("contact-card")).findElement(By.name("displayName"))
        .getDomProperty("value")).isEqualTo("Acme Orders");
    JsonObject stored = engine.api.get("/v1/numbers/" + line.getString("id") + "/contact-card",
        key).json();
    assertThat(stored).isEqualTo(new JsonObject().put("firstName", "Order")
        .put("lastName", "Desk").put("displayName", "Acme Orders").put("hasAvatar", true));
    chromium.screenshot("contact-card");

    chromium.driver.executeScript("window.confirm = () => true");
    click(By.xpath("//button[text()='Remove card']"));
    waitForText(By.id("flash"), "removed");
    waitForText(By.id("contact-card-shown"), "No contact card");
    assertThat(engine.api.get("/v1/numbers/" + line.getString("id") + "/contact-card", key)
        .status()).isEqualTo(404);

    // an SMS line's page says why it has no card
    open("/console/#/numbers");
    click(By.linkText(boughtNumber));
    waitForText(By.cssSelector("section[aria-labelledby=number-card]"),
        "Contact cards are for active iMessage numbers");
  }

  @Test
  @Order(12)
  void switchesToASubAccountAndShowsOnlyItsObjects() {
    open("/console/#/sub-accounts");
    WebElement create = waitFor(By.id("sub-account-new"));
    create.findElement(By.name("name")).sendKeys("Franchise Berlin");
    create.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("flash"), "Sub-account “Franchise Berlin” created.");
    waitForText(By.cssSelector("main table"), "Franchise Berlin");
    chromium.screenshot("sub-accounts");
    String child = engine.api.get("/v1/sub-accounts", key).json().getJsonArray("data")
        .getJsonObject(0).getString("id");

    open("/console/#/agents");
    waitForText(By.cssSelector("main table"), "Front desk");
    Select accounts = new Select(waitFor(By.id("account-switch")));
    waiting().until(d -> accounts.getOptions().size() == 2);
    accounts.selectByVisibleText("Franchise Berlin");
    waitForText(By.cssSelector("main .empty"), "No agents yet");
    assertThat(find(By.tagName("main")).getText()).doesNotContain("Front desk")
        .doesNotContain("My Agent");
    WebElement form = waitFor(By.cssSelector("section[aria-labelledby=agent-new] form"));
    form.findElement(By.name("name")).sendKeys("Berlin desk");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.cssSelector("main table"), "Berlin desk");

    // the agent is the sub-account's, not the parent's
    assertThat(engine.api.asSubAccount(child).get("/v1/agents", key).json()
        .getJsonArray("data").getJsonObject(0).getString("name")).isEqualTo("Berlin desk");
    assertThat(agents().stream().map(a -> ((JsonObject) a).getString("name")))
        .doesNotContain("Berlin desk");

    open("/console/#/numbers");
    WebElement buy = waitFor(By.id("buy-number"));
    assertThat(find(By.tagName("main")).getText()).doesNotContain(boughtNumber);
    new Select(buy.findElement(By.name("agentId"))).selectByVisibleText("Berlin desk");
    buy.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("flash"), "Bought +1");
    String childNumber = engine.api.asSubAccount(child).get("/v1/numbers", key).json()
        .getJsonArray("data").getJsonObject(0).getString("phoneNumber");
    waitForText(By.cssSelector("main table"), childNumber);

    open("/console/#/conversations");
    WebElement phone = waitFor(By.id("phone"));
    assertThat(find(By.tagName("main")).getText()).doesNotContain("+14105550123");
    WebElement from = phone.findElement(By.name("from"));
    from.clear();
    from.sendKeys("+14105550188");
    new Select(phone.findElement(By.name("to"))).selectByValue(childNumber);
    phone.findElement(By.name("body")).sendKeys("Hallo Berlin");
    phone.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.cssSelector(".thread .msg-inbound"), "Hallo Berlin");
    assertThat(engine.api.asSubAccount(child).get("/v1/conversations", key).json()
        .getLong("total")).isEqualTo(1);
    chromium.screenshot("sub-account");

    // back to the main account: its own objects, none of the sub-account's
    open("/console/#/agents");
    new Select(waitFor(By.id("account-switch"))).selectByVisibleText("Main account");
    waitForText(By.cssSelector("main table"), "Front desk");
    assertThat(find(By.tagName("main")).getText()).doesNotContain("Berlin desk");
    open("/console/#/conversations");
    waitForText(By.cssSelector("main table"), "+14105550123");
    assertThat(find(By.tagName("main")).getText()).doesNotContain("+14105550188");

    // a reload keeps the choice; a sub-account deleted meanwhile sends the console back home
    new Select(waitFor(By.id("account-switch"))).selectByVisibleText("Franchise Berlin");
    waitForText(By.cssSelector("main table"), "+14105550188");
    chromium.driver.navigate().refresh();
    waitForText(By.cssSelector("main table"), "+14105550188");
    assertThat(new Select(waitFor(By.id("account-switch"))).getFirstSelectedOption().getText())
        .isEqualTo("Franchise Berlin");
    assertThat(find(By.id("mode")).getText()).isEqualTo("Sandbox");
    engine.api.asSubAccount(child).delete("/v1/numbers/" + engine.api.asSubAccount(child)
        .get("/v1/numbers", key).json().getJsonArray("data").getJsonObject(0).getString("id"), key);
    assertThat(engine.api.delete("/v1/sub-accounts/" + child, key).status()).isEqualTo(200);
    open("/console/#/numbers");
    waitForText(By.id("flash"), "no longer exists");
    assertThat(new Select(find(By.id("account-switch"))).getFirstSelectedOption().getText())
        .isEqualTo("Main account");
    waitForText(By.cssSelector("main table"), boughtNumber);
  }

  @Test
  @Order(13)
  void showsTheRegistrationStatusAndItsStage() {
    open("/console/#/registration");
    waitForText(By.id("registration-status"), "none");
    assertThat(find(By.id("registration-status")).getText()).contains("POST /v1/register");
    io.vertx.core.json.JsonObject request = new io.vertx.core.json.JsonObject()
        .put("registration_type", "sole_proprietor").put("first_name", "Ada")
        .put("last_name", "Lovelace").put("email", "ada@example.com")
        .put("phone_number", "+12125550123").put("street_address", "1 Main St")
        .put("city", "New York").put("state", "NY").put("zip_code", "10001")
        .put("description", "Ada's bakery texts customers when their cake orders are ready.")
        .put("use_cases", new io.vertx.core.json.JsonArray().add("account_notification"))
        .put("message_samples", new io.vertx.core.json.JsonArray()
            .add("Your cake order 12 is ready for pickup.").add("Pick up cake order 12 today."))
        .put("consent_flow", "Customers tick an SMS opt-in box on the order form before paying.")
        .put("opt_in_image_url", "https://example.com/opt-in.png")
        .put("create_sub_account", false);
    assertThat(engine.api.post("/v1/register", key, request).status()).isEqualTo(200);
    chromium.driver.navigate().refresh();
    waitForText(By.id("registration-status"), "pending");
    assertThat(find(By.cssSelector("#registration-status li[aria-current=step]")).getText())
        .isEqualTo("Brand submitted");
    chromium.screenshot("registration");
    assertThat(engine.api.post("/sandbox/registration", key, new io.vertx.core.json.JsonObject()
        .put("decision", "approve")).status()).isEqualTo(200);
    chromium.driver.navigate().refresh();
    waitForText(By.id("registration-status"), "approved");
    assertThat(find(By.cssSelector("#registration-status li[aria-current=step]")).getText())
        .isEqualTo("Campaign approved");
  }

  @Test
  @Order(14)
  void replaysDeliveriesOneOrAllFailedAndRotatesTheSecretShowingItOnce() {
    String failedOnce = deadLetter("first dead letter");
    open("/console/#/webhooks");
    click(By.cssSelector("#delivery-log button.replay[data-delivery='" + failedOnce + "']"));
    waitForText(By.id("flash"), "queued again with its original id");
    awaitReceived(failedOnce, 2);

    String failedTwice = deadLetter("second dead letter");
    click(By.cssSelector("#replay-failed button[type=submit]"));
    // the job takes the one delivery that is failed now; the progress line follows it to the end
    waitForText(By.id("replay-progress"), "Replay completed: 1 of 1 replayed");
    awaitReceived(failedTwice, 2);

    clearFlash();
    click(By.id("rotate-account"));
    String shown = waitFor(By.cssSelector("#rotated-account code.secret")).getText();
    assertThat(shown).startsWith("whsec_")
        .isEqualTo(engine.api.get("/v1/webhooks", key).json().getString("secret"));
    assertThat(find(By.id("rotated-account")).getText()).contains("previous secret also signs");
    chromium.driver.navigate().refresh();
    waitFor(By.id("rotate-account"));
    assertThat(chromium.driver.findElements(By.id("rotated-account"))).isEmpty();
    chromium.screenshot("webhook-replay");
  }

  /** A text to the account's number whose delivery the receiver refuses: a failed delivery. */
  private static String deadLetter(String text) {
    receiver.answer(r -> r.request().response().setStatusCode(500).end());
    String number = engine.api.get("/v1/numbers", key).json().getJsonArray("data")
        .getJsonObject(0).getString("phoneNumber");
    assertThat(TwilioForms.post(engine.api, "/webhooks/twilio/sms", TwilioForms.sms(
        "SM" + System.nanoTime(), "+12125550777", number, text), "sandbox-twilio-auth-token")
        .status()).isEqualTo(200);
    String id = new WebDriverWait(chromium.driver, Duration.ofSeconds(15)).until(driver -> {
      for (Object d : engine.api.get("/v1/webhooks/deliveries?status=failed&limit=100", key)
          .json().getJsonArray("items")) {
        JsonObject delivery = (JsonObject) d;
        if (receiver.received.stream().anyMatch(r -> r.body() != null
            && text.equals(r.body().getJsonObject("data").getString("message"))
            && delivery.getString("id").equals(r.headers().get("x-webhook-id")))) {
          return delivery.getString("id");
        }
      }
      return null;
    });
    receiver.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end("{\"text\": \"ok\"}"));
    return id;
  }

  /** Waits until the receiver got {@code count} requests with this {@code X-Webhook-ID}. */
  private static void awaitReceived(String deliveryId, int count) {
    new WebDriverWait(chromium.driver, Duration.ofSeconds(15)).until(driver -> receiver.received
        .stream().filter(r -> deliveryId.equals(r.headers().get("x-webhook-id"))).count() >= count);
  }

  @Test
  @Order(15)
  void createsAKeyShowingItsSecretOnceRevokesItAndSeesBothInTheAuditLog() {
    open("/console/#/api-keys");
    WebElement create = waitFor(By.id("api-key-new"));
    create.findElement(By.name("name")).sendKeys("Console key");
    create.findElement(By.cssSelector("button[type=submit]")).click();
    String secret = waitFor(By.cssSelector("#api-key-secret code")).getText();
    assertThat(secret).startsWith("sk_live_");
    assertThat(engine.api.get("/v1/agents", secret).status()).isEqualTo(200);
    waitForText(By.cssSelector("main table"), "Console key");
    assertThat(find(By.cssSelector("main table")).getText()).doesNotContain(secret);

    WebElement row = find(By.xpath("//main//tr[td[text()='Console key']]"));
    row.findElement(By.cssSelector("button.revoke")).click();
    waiting().until(ExpectedConditions.alertIsPresent()).accept();
    waitForText(By.id("flash"), "Key “Console key” revoked.");
    assertThat(engine.api.get("/v1/agents", secret).status()).isEqualTo(401);
    // a reload shows the list only: the secret was shown once
    open("/console/#/api-keys");
    waitFor(By.id("api-key-new"));
    assertThat(find(By.tagName("main")).getText()).doesNotContain(secret)
        .doesNotContain("Console key");

    open("/console/#/audit");
    WebElement filter = waitFor(By.id("audit-filter"));
    filter.findElement(By.name("objectType")).sendKeys("api_key");
    filter.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.cssSelector("main table"), "delete");
    assertThat(find(By.cssSelector("main table")).getText()).contains("create")
        .contains("Console key").doesNotContain(secret);
  }

  @Test
  @Order(18)
  void signsOutAndCreatesASandboxAccountFromTheSignInPage() {
    open("/console/#/agents");
    click(By.id("sign-out"));
    WebElement signUp = waitFor(By.cssSelector("#sandbox-sign-up form"));
    assertThat(chromium.driver.executeScript(
        "return sessionStorage.getItem('agentphone.console.apiKey')")).isNull();
    signUp.findElement(By.name("email")).sendKeys("console-new-" + System.nanoTime() + "@example.com");
    signUp.findElement(By.name("agent")).sendKeys("Concierge");
    signUp.findElement(By.cssSelector("button[type=submit]")).click();

    String newKey = waitFor(By.id("new-key")).getText();
    assertThat(newKey).startsWith("sk_live_").isNotEqualTo(key);
    click(By.xpath("//button[text()='Continue to the console']"));
    waitForText(By.cssSelector("main table"), "Concierge");
    assertThat(engine.api.get("/v1/agents", newKey).json().getJsonArray("data")
        .getJsonObject(0).getString("name")).isEqualTo("Concierge");
  }

  // ---- helpers ----

  @Test
  @Order(16)
  void takesOverASimulatedCallAndSpeaksForTheAgent() {
    JsonObject account = engine.signUp("operator-" + System.nanoTime() + "@example.com");
    String operatorKey = account.getString("api_key");
    String agent = account.getString("agent_id");
    engine.api.patch("/v1/agents/" + agent, operatorKey, new JsonObject()
        .put("voiceMode", "webhook").putNull("beginMessage"));
    engine.api.post("/v1/agents/" + agent + "/webhook", operatorKey,
        new JsonObject().put("url", receiver.url()).put("timeout", 5));
    open("/console/");
    chromium.driver.executeScript("sessionStorage.clear();"
        + "sessionStorage.setItem('agentphone.console.apiKey', arguments[0])", operatorKey);
    open("/console/#/calls");
    WebElement dialer = waitFor(By.id("dialer"));
    new Select(dialer.findElement(By.name("to"))).selectByValue(account.getString("phone_number"));
    dialer.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("live-state"), "Live");
    String callId = chromium.driver.getCurrentUrl().replaceAll(".*#/calls/", "");

    click(By.id("take-over"));
    waitForText(By.id("control-state"), "Taken over");
    waitFor(By.id("release"));
    type(By.cssSelector("#say input[name=text]"), "Is anybody there?");
    click(By.cssSelector("#say button[type=submit]"));
    waitForText(By.id("turns"), "Is anybody there?");
    type(By.cssSelector("#agent-say input[name=text]"), "Yes, you are talking to a person.");
    click(By.cssSelector("#agent-say button[type=submit]"));
    waitForText(By.id("turns"), "Yes, you are talking to a person.");
    List<String> turns = chromium.driver.findElements(By.cssSelector("#turns .turn")).stream()
        .map(WebElement::getText).toList();
    assertThat(turns.get(turns.size() - 1)).startsWith("Agent")
        .contains("Yes, you are talking to a person.");
    // the agent's webhook was never asked
    assertThat(receiver.received).noneMatch(r -> r.body() != null
        && "agent.message".equals(r.body().getString("event"))
        && callId.equals(r.body().getJsonObject("data").getString("callId")));
    chromium.screenshot("live-takeover");

    click(By.id("release"));
    waitForText(By.id("control-state"), "The agent answers");
    click(By.xpath("//section[@id='caller']//button[text()='Hang up']"));
    waitForText(By.id("live-state"), "Call ended (completed");
    assertThat(engine.sql("SELECT type FROM call_events WHERE call_id = ? "
        + "AND actor IS NOT NULL ORDER BY id", callId))
        .extracting(r -> r.get("type")).containsExactly("takeover", "say", "release");
    // the simulated Retell heard the operator's words as the agent's answer
    assertThat(engine.sql("SELECT 1 FROM sandbox_retell_objects WHERE kind = 'call' "
        + "AND body->>'transcript' LIKE ?", "%Agent: Yes, you are talking to a person.%"))
        .hasSize(1);
  }

  @Test
  @Order(17)
  void drawsACallsTurnsAsAWaterfall() {
    open("/console/#/calls");
    WebElement dialer = waitFor(By.id("dialer"));
    new Select(dialer.findElement(By.name("to"))).selectByIndex(0);
    dialer.findElement(By.cssSelector("button[type=submit]")).click();
    waitForText(By.id("live-state"), "Live");
    String callId = chromium.driver.getCurrentUrl().replaceAll(".*#/calls/", "");
    for (String words : List.of("Hello there", "What are your hours?")) {
      int before = chromium.driver.findElements(By.cssSelector("#turns .turn-agent")).size();
      type(By.cssSelector("#say input[name=text]"), words);
      click(By.cssSelector("#say button[type=submit]"));
      waiting().until(d -> d.findElements(By.cssSelector("#turns .turn-agent")).size() > before);
    }
    click(By.xpath("//section[@id='caller']//button[text()='Hang up']"));
    waitForText(By.id("live-state"), "Call ended");

    // opened afresh, the ended call's view draws one row of bars per turn the engine answered
    open("/console/#/calls");
    click(By.cssSelector("a[href='#/calls/" + callId + "']"));
    int turns = engine.api.get("/v1/calls/" + callId + "/timeline", chromium.driver
        .executeScript("return sessionStorage.getItem('agentphone.console.apiKey')").toString())
        .json().getJsonArray("turns").size();
    assertThat(turns).isGreaterThanOrEqualTo(2);
    waiting().until(d -> d.findElements(By.cssSelector("#waterfall .wf-row")).size() == turns);
    for (WebElement row : chromium.driver.findElements(By.cssSelector("#waterfall .wf-row"))) {
      List<WebElement> bars = row.findElements(By.cssSelector("rect.wf-bar"));
      assertThat(bars).as("bars of turn " + row.getAttribute("data-response-id")).isNotEmpty();
      assertThat(bars).allMatch(bar -> Double.parseDouble(bar.getAttribute("width")) > 0);
    }
    assertThat(find(By.id("timeline-events")).getText()).contains("started", "ended");
    chromium.screenshot("call-waterfall");
  }

  private static JsonArray agents() {
    return engine.api.get("/v1/agents?limit=100", key).json().getJsonArray("data");
  }

  private static void open(String path) {
    chromium.driver.get(base + path);
  }

  /** Empties the flash line, so that waiting for a message waits for a new one. */
  private static void clearFlash() {
    chromium.driver.executeScript("document.getElementById('flash').replaceChildren()");
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(chromium.driver, Duration.ofSeconds(10));
  }

  private static WebElement waitFor(By by) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static WebElement find(By by) {
    return chromium.driver.findElement(by);
  }

  private static void click(By by) {
    waiting().until(ExpectedConditions.elementToBeClickable(by)).click();
  }

  private static void type(By by, String text) {
    waitFor(by).sendKeys(text);
  }

  private static void waitForText(By by, String text) {
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }
}
