package dev.agentphone.platform;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ids are a creation time and a random part. A call id is also the only key to the call's
 * recording ({@code GET /v1/calls/{id}/recording} is public), so its random part must be
 * unguessable: 16 characters of a 32-letter alphabet, every one of them free, are 80 bits.
 */
class IdsTest {
  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

  @Test
  void aCallIdCarriesEightyRandomBitsAfterItsMillisecond() {
    int samples = 20_000;
    Set<String> randomParts = new HashSet<>();
    @SuppressWarnings("unchecked")
    Set<Character>[] seen = new Set[16];
    for (int i = 0; i < seen.length; i++) {
      seen[i] = new HashSet<>();
    }
    for (int n = 0; n < samples; n++) {
      String id = Ids.next("call");
      assertThat(id).matches("call_[" + ALPHABET + "]{26}");
      String random = id.substring("call_".length() + 10);
      randomParts.add(random);
      for (int i = 0; i < random.length(); i++) {
        seen[i].add(random.charAt(i));
      }
    }
    assertThat(randomParts).as("no random part repeats").hasSize(samples);
    for (int i = 0; i < seen.length; i++) {
      // each of the 16 characters takes all 32 values: 5 free bits each (a fixed or narrower
      // position would miss some in 20,000 draws; the chance that a free one does is ~1e-270)
      assertThat(seen[i]).as("values at random position %d", i).hasSize(32);
    }
  }

  @Test
  void theFirstTenCharactersAreTheCreationMillisecondSoIdsSortByTime() throws Exception {
    String earlier = Ids.next("call");
    Thread.sleep(2);
    String later = Ids.next("call");
    assertThat(earlier.substring(0, 15)).isLessThan(later.substring(0, 15));
  }
}
