package dev.sdpshim.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written fast paths give what the plain statements they replace give. */
class FastPathsTest {
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  @Test
  void dottedQuadIsTheRegex() {
    List<String> fixed = List.of("", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "01.2.3.4",
        "1.2.3.04", "1.2.3.0", "1..2.3", "1.2.3.4567", "1234.1.1.1", "1.2.3.4 ", "+1.2.3.4", "1.2.3.\u0664", "10.128.0.1",
        "199.200.249.250", "1.2.3.25a", "a.b.c.d", "1.2.3.-4");
    for (String s : fixed) {
      assertEquals(DOTTED_QUAD.matcher(s).matches(), HostResolver.OfflineResolver.isDottedQuad(s), s);
    }
    Random random = new Random(1);
    String alphabet = "0123456789.25a:+ ";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(18);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (i % 2 == 0) {
        sb.setLength(0);
        for (int part = 0; part < 4; part++) {
          sb.append(part == 0 ? "" : ".").append(random.nextInt(4) == 0 ? "0" + random.nextInt(30) : Integer.toString(random.nextInt(300)));
        }
      }
      String s = sb.toString();
      assertEquals(DOTTED_QUAD.matcher(s).matches(), HostResolver.OfflineResolver.isDottedQuad(s), s);
    }
  }

  @Test
  void asciiFilesReadAsTheDecoderReadsThem(@TempDir Path dir) throws IOException {
    String text = "# ascii\r\nconnect 10.0.0.1 1\r\nconnect 10.0.0.1 2\rconnect\t10.0.0.1 3\n\u0001bind 10.0.0.1 4\n"
        + "connect 10.0.0.1 5 # x\n\u007f\nconnect 10.0.0.1 6";
    Path file = dir.resolve("ascii.conf");
    Files.write(file, text.getBytes(StandardCharsets.US_ASCII));
    SdpConfig fromFile = SdpConfig.parse(file);
    SdpConfig fromText = SdpConfig.parse(text, file.toString());
    assertEquals(fromText.rules().stream().map(Rule::canonicalText).toList(), fromFile.rules().stream().map(Rule::canonicalText).toList());
    assertEquals(fromText.diagnostics().toString(), fromFile.diagnostics().toString());
    assertEquals(fromText.jdkRefusal(), fromFile.jdkRefusal());
    assertEquals(5, fromFile.rules().size());
  }

  /** Bit by bit: the plain definition of "same first n bits". */
  private static boolean samePrefix(byte[] a, byte[] b, int n) {
    for (int bit = 0; bit < n; bit++) {
      int m = 0x80 >>> (bit & 7);
      if ((a[bit >>> 3] & m) != (b[bit >>> 3] & m)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void blocksContainCoverAndTruncateBitByBit() throws UnknownHostException {
    Random random = new Random(2);
    for (int i = 0; i < 50_000; i++) {
      int length = random.nextBoolean() ? 4 : 16;
      byte[] a = new byte[length];
      random.nextBytes(a);
      byte[] b = a.clone();
      for (int flips = random.nextInt(3); flips > 0; flips--) {
        int bit = random.nextInt(length * 8);
        b[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
      }
      int prefix = random.nextInt(length * 8 + 1);
      AddressBlock block = AddressBlock.of(InetAddress.getByAddress(a), prefix);
      InetAddress other = InetAddress.getByAddress(b);
      assertEquals(samePrefix(a, b, prefix), block.contains(other), block + " contains " + other);
      byte[] net = block.network().getAddress();
      for (int bit = prefix; bit < length * 8; bit++) {
        assertEquals(0, net[bit >>> 3] & (0x80 >>> (bit & 7)), "host bit " + bit + " of " + block);
      }
      int shorter = random.nextInt(prefix + 1);
      assertEquals(AddressBlock.of(block.network(), shorter), block.truncate(shorter));
      assertEquals(AddressBlock.of(block.network(), shorter).hashCode(), block.truncate(shorter).hashCode());
      int otherPrefix = random.nextInt(length * 8 + 1);
      AddressBlock second = AddressBlock.of(other, otherPrefix);
      assertEquals(otherPrefix >= prefix && samePrefix(second.network().getAddress(), net, prefix), block.covers(second),
          block + " covers " + second);
    }
  }
}
