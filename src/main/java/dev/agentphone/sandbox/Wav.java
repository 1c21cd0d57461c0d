package dev.agentphone.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * 16-bit mono PCM in RIFF/WAVE form: the samples of a WAV file (such as espeak-ng's, whose
 * streamed header gives no real sizes), and a complete file with consistent chunk sizes and the
 * program that made it in its {@code LIST/INFO} {@code ISFT} field.
 */
final class Wav {
  private Wav() {
  }

  /** Little-endian 16-bit samples at a rate. */
  record Pcm(int sampleRate, byte[] samples) {
  }

  /**
   * The samples of a 16-bit mono WAV file; null when it is not one. A {@code data} chunk that
   * claims more than the file holds (a streamed header) runs to the end of the file.
   */
  static Pcm read(byte[] file) {
    if (file.length < 12 || !"RIFF".equals(ascii(file, 0)) || !"WAVE".equals(ascii(file, 8))) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int rate = -1;
    int pos = 12;
    while (pos + 8 <= file.length) {
      String id = ascii(file, pos);
      long size = in.getInt(pos + 4) & 0xffffffffL;
      int body = pos + 8;
      if ("fmt ".equals(id) && body + 16 <= file.length) {
        int format = in.getShort(body) & 0xffff;
        int channels = in.getShort(body + 2) & 0xffff;
        int bits = in.getShort(body + 14) & 0xffff;
        if (format != 1 || channels != 1 || bits != 16) {
          return null;
        }
        rate = in.getInt(body + 4);
      } else if ("data".equals(id) && rate > 0) {
        int length = (int) Math.min(size, file.length - body) & ~1;
        byte[] samples = new byte[length];
        System.arraycopy(file, body, samples, 0, length);
        return new Pcm(rate, samples);
      }
      pos = (int) Math.min(file.length, body + size + (size & 1));
    }
    return null;
  }

  /** A WAV file of {@code pcm}, naming {@code software} in its INFO list. */
  static byte[] write(Pcm pcm, String software) {
    byte[] name = (software + "\0").getBytes(StandardCharsets.US_ASCII);
    int namePadded = name.length + (name.length & 1);
    int listSize = 4 + 8 + namePadded;
    int dataSize = pcm.samples().length;
    ByteBuffer out = ByteBuffer.allocate(12 + 8 + 16 + 8 + listSize + 8 + dataSize)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.put(bytes("RIFF")).putInt(4 + 8 + 16 + 8 + listSize + 8 + dataSize).put(bytes("WAVE"));
    out.put(bytes("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(pcm.sampleRate()).putInt(pcm.sampleRate() * 2).putShort((short) 2)
        .putShort((short) 16);
    out.put(bytes("LIST")).putInt(listSize).put(bytes("INFO"))
        .put(bytes("ISFT")).putInt(name.length).put(name);
    if ((name.length & 1) == 1) {
      out.put((byte) 0);
    }
    out.put(bytes("data")).putInt(dataSize).put(pcm.samples());
    return out.array();
  }

  /** Silence of {@code millis} at {@code sampleRate}. */
  static byte[] silence(int sampleRate, int millis) {
    return new byte[2 * (int) ((long) sampleRate * millis / 1000)];
  }

  /**
   * A sine tone of {@code millis} at {@code hertz}, at a third of full scale, faded in and out
   * over 10 ms so that it starts and stops without a click.
   */
  static byte[] tone(int sampleRate, int hertz, int millis) {
    int count = (int) ((long) sampleRate * millis / 1000);
    int fade = Math.max(1, sampleRate / 100);
    ByteBuffer out = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      double envelope = Math.min(1.0, Math.min(i, count - 1 - i) / (double) fade);
      double value = Math.sin(2 * Math.PI * hertz * i / sampleRate) * envelope / 3;
      out.putShort((short) Math.round(value * Short.MAX_VALUE));
    }
    return out.array();
  }

  /** The pieces one after the other. */
  static byte[] join(Iterable<byte[]> pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] piece : pieces) {
      out.writeBytes(piece);
    }
    return out.toByteArray();
  }

  private static String ascii(byte[] file, int at) {
    return new String(file, at, 4, StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(String fourCc) {
    return fourCc.getBytes(StandardCharsets.US_ASCII);
  }
}
