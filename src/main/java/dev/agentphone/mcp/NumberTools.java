package dev.agentphone.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Phone numbers and messages: list_numbers, buy_number, send_message, get_messages. */
final class NumberTools {
  static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
  static final String E164_PROBLEM = "Phone number must be in E.164 format, e.g. +14155551234";
  private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
  private static final Pattern AREA_CODE = Pattern.compile("^\\d{3}$");

  private NumberTools() {
  }

  static void register(Map<String, Tool> tools) {
    tools.put("list_numbers", NumberTools::listNumbers);
    tools.put("buy_number", NumberTools::buyNumber);
    tools.put("send_message", NumberTools::sendMessage);
    tools.put("get_messages", NumberTools::getMessages);
  }

  static boolean e164(String phone) {
    return E164.matcher(phone).matches();
  }

  private static Future<String> listNumbers(Arguments args, LoopbackApi.Caller api) {
    return api.get("/v1/numbers?limit=" + args.text("limit") + "&offset=" + args.text("offset"))
        .map(Js::pretty);
  }

  private static Future<String> buyNumber(Arguments args, LoopbackApi.Caller api) {
    String country = args.string("country");
    String areaCode = args.string("area_code");
    String agentId = args.string("agent_id");
    if (!COUNTRY.matcher(country).matches()) {
      return Tool.refuse("Country must be a 2-letter ISO code, e.g. US, CA, GB");
    }
    if (areaCode != null && !areaCode.isEmpty() && !AREA_CODE.matcher(areaCode).matches()) {
      return Tool.refuse("Area code must be 3 digits, e.g. 415, 212, 310");
    }
    boolean hasArea = areaCode != null && !areaCode.isEmpty();
    boolean hasAgent = agentId != null && !agentId.isEmpty();
    if (!args.bool("confirm")) {
      List<String> params = new ArrayList<>();
      params.add("country=\"" + country + "\"");
      if (hasArea) {
        params.add("area_code=\"" + areaCode + "\"");
      }
      if (hasAgent) {
        params.add("agent_id=\"" + agentId + "\"");
      }
      params.add("confirm=true");
      return Future.succeededFuture("This will purchase a new " + country + " phone number"
          + (hasArea ? " in area code " + areaCode : "")
          + (hasAgent ? " and attach it to agent " + agentId : "")
          + ", charging the account's balance. Confirm with the user, then call buy_number again"
          + " with the SAME arguments plus confirm=true: " + String.join(", ", params));
    }
    return api.post("/v1/numbers", args.body("country", "country", "agent_id", "agentId",
            "area_code", "areaCode"))
        .map(result -> "Purchased number " + Js.text(result, "phoneNumber") + " ("
            + Js.text(result, "country") + ")\n\n" + Js.pretty(result));
  }

  private static Future<String> sendMessage(Arguments args, LoopbackApi.Caller api) {
    String to = args.string("to_number");
    String from = args.string("from_number");
    if (empty(args.string("agent_id")) && empty(from) && empty(args.string("number_id"))) {
      return Tool.refuse("Provide agent_id, from_number, or number_id to identify the sender.");
    }
    // only a recipient that is clearly a phone number (leading +) must be E.164: short codes
    // and group ids pass through for the API to route
    if (to.startsWith("+") && !e164(to)) {
      return Tool.refuse(E164_PROBLEM);
    }
    if (!empty(from) && !e164(from)) {
      return Tool.refuse(E164_PROBLEM);
    }
    return api.post("/v1/messages", args.body("agent_id", "agent_id", "to_number", "to_number",
            "body", "body", "media_url", "media_url", "media_urls", "media_urls",
            "number_id", "number_id", "from_number", "from_number",
            "reply_to_message_id", "reply_to_message_id", "send_style", "send_style"))
        .map(result -> {
          StringBuilder text = new StringBuilder("Message sent!")
              .append("\n  From: ").append(Js.text(result, "from_number"))
              .append("\n  To: ").append(Js.text(result, "to_number"))
              .append("\n  Channel: ")
              .append(Js.text(Js.orElse(Js.get(result, "channel"), "unknown")))
              .append("\n  Status: ").append(Js.text(result, "status"))
              .append("\n  ID: ").append(Js.text(result, "id"));
          if (Js.truthy(Js.get(result, "reply_parent_unresolved"))) {
            text.append("\n  Note: couldn't thread under the reply parent; delivered without"
                + " threading.");
          }
          return text.toString();
        });
  }

  private static Future<String> getMessages(Arguments args, LoopbackApi.Caller api) {
    return api.get("/v1/numbers/" + args.encoded("number_id") + "/messages?limit="
            + args.text("limit"))
        .map(result -> {
          JsonArray data = Js.array(Js.get(result, "data"));
          if (data.isEmpty()) {
            return "No messages found for this number.";
          }
          List<String> lines = new ArrayList<>();
          for (Object m : data) {
            JsonObject message = (JsonObject) m;
            // the API names the sender from_ (as the contract does); the official tool reads from
            Object from = message.containsKey("from") ? message.getValue("from")
                : message.getValue("from_");
            lines.add("[" + Js.text(message, "receivedAt") + "] " + Js.text(from)
                + " → " + Js.text(message, "to") + ": " + Js.text(message, "body"));
          }
          return data.size() + " message(s):\n\n" + String.join("\n", lines);
        });
  }

  static boolean empty(String value) {
    return value == null || value.isEmpty();
  }
}
