package dev.agentphone.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A WAV file as a player reads it, for tests: the RIFF header, every chunk, and checks that the
 * sizes agree with each other and with the file. Throws on anything a player would choke on.
 */
public record WavFile(int format, int channels, int sampleRate, int bitsPerSample,
    byte[] samples, String software) {

  /** Parses {@code bytes}, failing with what is wrong. */
  public static WavFile parse(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    require(bytes.length >= 12, "shorter than a RIFF header: " + bytes.length + " bytes");
    require("RIFF".equals(text(bytes, 0, 4)), "no RIFF tag");
    require("WAVE".equals(text(bytes, 8, 4)), "not a WAVE file");
    long riffSize = in.getInt(4) & 0xffffffffL;
    require(riffSize == bytes.length - 8, "RIFF size " + riffSize + " but the file holds "
        + (bytes.length - 8) + " bytes after it");
    Integer format = null;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    byte[] samples = null;
    String software = null;
    int pos = 12;
    while (pos < bytes.length) {
      require(pos + 8 <= bytes.length, "a chunk header runs past the end");
      String id = text(bytes, pos, 4);
      int size = in.getInt(pos + 4);
      require(size >= 0 && pos + 8L + size <= bytes.length,
          "chunk " + id + " of " + size + " bytes runs past the end");
      int body = pos + 8;
      switch (id) {
        case "fmt " -> {
          require(size >= 16, "fmt chunk of " + size + " bytes");
          format = in.getShort(body) & 0xffff;
          channels = in.getShort(body + 2) & 0xffff;
          rate = in.getInt(body + 4);
          int byteRate = in.getInt(body + 8);
          int blockAlign = in.getShort(body + 12) & 0xffff;
          bits = in.getShort(body + 14) & 0xffff;
          require(blockAlign == channels * bits / 8, "block align " + blockAlign);
          require(byteRate == rate * blockAlign, "byte rate " + byteRate);
        }
        case "data" -> {
          require(format != null, "data before fmt");
          samples = new byte[size];
          System.arraycopy(bytes, body, samples, 0, size);
        }
        case "LIST" -> software = software(bytes, body, size);
        default -> {
          // other chunks are allowed and skipped
        }
      }
      pos = body + size + (size & 1);
    }
    require(format != null, "no fmt chunk");
    require(samples != null, "no data chunk");
    require(samples.length % Math.max(1, channels * bits / 8) == 0,
        "data length " + samples.length + " is not whole samples");
    return new WavFile(format, channels, rate, bits, samples, software);
  }

  /** Fetches {@code url} without any credentials; the answer's status, headers and bytes. */
  public static HttpResponse<byte[]> fetch(String url) {
    try {
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url + " failed", e);
    }
  }

  public double seconds() {
    return samples.length / (double) (sampleRate * channels * bitsPerSample / 8);
  }

  /**
   * Stretches of sound: runs of 16-bit samples louder than a tenth of full scale, split where
   * at least {@code gapMillis} of quieter samples separate them.
   */
  public List<double[]> sounds(int gapMillis) {
    ByteBuffer in = ByteBuffer.wrap(samples).order(ByteOrder.LITTLE_ENDIAN);
    int gap = sampleRate * gapMillis / 1000;
    List<double[]> out = new ArrayList<>();
    int start = -1;
    int lastLoud = -gap - 1;
    int count = samples.length / 2;
    for (int i = 0; i < count; i++) {
      boolean loud = Math.abs(in.getShort(2 * i)) > Short.MAX_VALUE / 10;
      if (loud) {
        if (start < 0 || i - lastLoud > gap) {
          if (start >= 0) {
            out.add(new double[] {start / (double) sampleRate, lastLoud / (double) sampleRate});
          }
          start = i;
        }
        lastLoud = i;
      }
    }
    if (start >= 0) {
      out.add(new double[] {start / (double) sampleRate, lastLoud / (double) sampleRate});
    }
    return out;
  }

  private static String software(byte[] bytes, int body, int size) {
    if (size < 4 || !"INFO".equals(text(bytes, body, 4))) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int pos = body + 4;
    while (pos + 8 <= body + size) {
      String id = text(bytes, pos, 4);
      int length = in.getInt(pos + 4);
      if ("ISFT".equals(id)) {
        return text(bytes, pos + 8, length).replace("\0", "");
      }
      pos += 8 + length + (length & 1);
    }
    return null;
  }

  private static String text(byte[] bytes, int at, int length) {
    return new String(bytes, at, length, StandardCharsets.US_ASCII);
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new AssertionError("not a valid WAV file: " + problem);
    }
  }
}
