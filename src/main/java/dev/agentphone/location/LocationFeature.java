package dev.agentphone.location;

import dev.agentphone.contacts.ContactsApi;
import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.imessage.SharedLocations;

/**
 * Shared locations: the verticle and {@code /v1/location}. {@code locations} is null where no
 * shared-location service is configured (live mode), and the operations answer 501 there.
 */
public final class LocationFeature extends Feature {
  public LocationFeature(SharedLocations locations, ContactsApi contacts,
      ConversationsApi conversations, LocationApi api) {
    deploy(new LocationVerticle(locations, contacts, conversations));
    mount(new LocationRoutes(api));
  }
}
