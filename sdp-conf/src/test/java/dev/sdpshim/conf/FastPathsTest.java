package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written fast paths that the 100 000-rule budget needs agree with their plain definitions. */
class FastPathsTest {
  @Test
  void isDottedQuadAgreesWithTheRegex() {
    String[] fixed = {"", "1.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.", ".1.2.3.4",
        "1..2.3", "1.2.3.4.5", "1.2.3.04", "1.2.3.0", "10.100.200.250", "1000.1.1.1", "1.2.3.4a", "\u0661.2.3.4", "1.2.3.-4"};
    for (String s : fixed) {
      assertEquals(HostResolver.OfflineResolver.DOTTED_QUAD.matcher(s).matches(), HostResolver.OfflineResolver.isDottedQuad(s), s);
    }
    Random random = new Random(42);
    String alphabet = "0123456789.:a";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(17);
      for (int j = 0; j < length; j++) {
        sb.append(random.nextInt(3) == 0 ? '.' : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = random.nextBoolean() ? sb.toString() : random.nextInt(300) + "." + random.nextInt(300) + "." + random.nextInt(300) + "."
          + (random.nextBoolean() ? "0" : "") + random.nextInt(300);
      assertEquals(HostResolver.OfflineResolver.DOTTED_QUAD.matcher(s).matches(), HostResolver.OfflineResolver.isDottedQuad(s), s);
    }
  }

  @Test
  void containsCoversAndTruncateAgreeWithMaskingEveryBit() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] a = new byte[random.nextBoolean() ? 4 : 16];
      byte[] b = new byte[a.length];
      random.nextBytes(a);
      System.arraycopy(a, 0, b, 0, a.length);
      b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
      int length = random.nextInt(a.length * 8 + 1);
      AddressBlock block = AddressBlock.of(InetAddress.getByAddress(a), length);
      InetAddress other = InetAddress.getByAddress(b);
      boolean expected = java.util.Arrays.equals(AddressBlock.mask(b, length), AddressBlock.mask(a, length));
      assertEquals(expected, block.contains(other));
      int shorter = random.nextInt(length + 1);
      assertEquals(AddressBlock.of(block.network(), shorter), block.truncate(shorter));
      AddressBlock sub = AddressBlock.of(other, Math.min(a.length * 8, length + random.nextInt(3)));
      assertEquals(expected, block.covers(sub));
    }
  }
}
