package dev.agentphone.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Conversations and contacts: list_conversations, get_conversation, update_conversation,
 * list_contacts, manage_contact.
 */
final class ConversationTools {
  private ConversationTools() {
  }

  static void register(Map<String, Tool> tools) {
    tools.put("list_conversations", ConversationTools::listConversations);
    tools.put("get_conversation", ConversationTools::getConversation);
    tools.put("update_conversation", (args, api) -> api.patch("/v1/conversations/"
            + args.encoded("conversation_id"),
            new JsonObject().put("metadata", args.json("metadata")))
        .map(result -> "Conversation updated.\n  ID: " + Js.text(result, "id")
            + "\n  Metadata: " + Js.compact(Js.get(result, "metadata"))));
    tools.put("list_contacts", ConversationTools::listContacts);
    tools.put("manage_contact", ConversationTools::manageContact);
  }

  private static Future<String> listConversations(Arguments args, LoopbackApi.Caller api) {
    String page = "?limit=" + args.text("limit") + "&offset=" + args.text("offset");
    String path = NumberTools.empty(args.string("agent_id")) ? "/v1/conversations" + page
        : "/v1/agents/" + args.encoded("agent_id") + "/conversations" + page;
    return api.get(path).map(result -> {
      JsonArray data = Js.array(Js.get(result, "data"));
      if (data.isEmpty()) {
        return "No conversations found.";
      }
      List<String> lines = new ArrayList<>();
      for (Object c : data) {
        JsonObject conversation = (JsonObject) c;
        Object preview = Js.get(conversation, "lastMessagePreview");
        String quoted = "";
        if (Js.truthy(preview)) {
          String text = Js.text(preview);
          quoted = " \"" + text.substring(0, Math.min(80, text.length()))
              + (text.length() > 80 ? "…" : "") + "\"";
        }
        Object last = Js.get(conversation, "lastMessageAt");
        lines.add(Js.text(conversation, "participant") + " ↔ "
            + Js.text(conversation, "phoneNumber") + " ("
            + Js.text(conversation, "messageCount") + " msgs, last: "
            + (Js.truthy(last) ? Js.text(last) : "never") + ")" + quoted + " id="
            + Js.text(conversation, "id"));
      }
      return data.size() + " conversation(s):\n\n" + String.join("\n", lines) + "\n\nTotal: "
          + Js.text(result, "total");
    });
  }

  private static Future<String> getConversation(Arguments args, LoopbackApi.Caller api) {
    return api.get("/v1/conversations/" + args.encoded("conversation_id") + "?message_limit="
            + args.text("message_limit"))
        .map(result -> {
          JsonArray messages = Js.array(Js.get(result, "messages"));
          List<String> history = new ArrayList<>();
          for (Object m : messages) {
            history.add("[" + Js.text(m, "receivedAt") + "] " + Js.text(m, "fromNumber") + ": "
                + Js.text(m, "body"));
          }
          List<String> lines = new ArrayList<>(List.of(
              "Conversation " + Js.text(result, "id"),
              "Contact: " + Js.text(result, "participant"),
              "Number: " + Js.text(result, "phoneNumber"),
              "Messages: " + Js.text(result, "messageCount")));
          if (Js.truthy(Js.get(result, "metadata"))) {
            lines.add("Metadata: " + Js.compact(Js.get(result, "metadata")));
          }
          lines.add("\n" + (history.isEmpty() ? "No messages." : String.join("\n", history)));
          return String.join("\n", lines);
        });
  }

  private static Future<String> listContacts(Arguments args, LoopbackApi.Caller api) {
    String path = "/v1/contacts?limit=" + args.text("limit") + "&offset=" + args.text("offset");
    if (!NumberTools.empty(args.string("search"))) {
      path += "&search=" + args.encoded("search");
    }
    return api.get(path).map(result -> {
      JsonArray data = Js.array(Js.get(result, "data"));
      if (data.isEmpty()) {
        return "No contacts found.";
      }
      List<String> lines = new ArrayList<>();
      for (Object c : data) {
        Object email = Js.get(c, "email");
        lines.add(Js.text(c, "name") + " — " + Js.text(c, "phoneNumber")
            + (Js.truthy(email) ? " <" + Js.text(email) + ">" : "") + " id=" + Js.text(c, "id"));
      }
      return data.size() + " contact(s):\n\n" + String.join("\n", lines) + "\n\nTotal: "
          + Js.text(result, "total");
    });
  }

  private static Future<String> manageContact(Arguments args, LoopbackApi.Caller api) {
    String phone = args.string("phone_number");
    String contactId = args.string("contact_id");
    if (!NumberTools.empty(phone) && !NumberTools.e164(phone)) {
      return Tool.refuse(NumberTools.E164_PROBLEM);
    }
    switch (args.string("action")) {
      case "create" -> {
        if (NumberTools.empty(phone) || NumberTools.empty(args.string("name"))) {
          return Tool.refuse("create requires both phone_number and name.");
        }
        return api.post("/v1/contacts", args.body("phone_number", "phoneNumber", "name", "name",
                "email", "email", "notes", "notes"))
            .map(result -> "Contact created: " + saved(result));
      }
      case "update" -> {
        if (NumberTools.empty(contactId)) {
          return Tool.refuse("update requires contact_id.");
        }
        return api.patch("/v1/contacts/" + args.encoded("contact_id"), args.body(
                "phone_number", "phoneNumber", "name", "name", "email", "email",
                "notes", "notes"))
            .map(result -> "Contact updated: " + saved(result));
      }
      default -> {
        if (NumberTools.empty(contactId)) {
          return Tool.refuse("delete requires contact_id.");
        }
        return api.delete("/v1/contacts/" + args.encoded("contact_id"))
            .map(result -> "Contact " + contactId + " deleted.");
      }
    }
  }

  private static String saved(Object contact) {
    return Js.text(contact, "name") + " (" + Js.text(contact, "phoneNumber") + ") id="
        + Js.text(contact, "id");
  }
}
