package io.raftring.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Key order equals the unsigned byte order of the keys' UTF-8 encodings. */
class KeyOrderTest {

  @Test
  void keyOrderAgreesWithUtf8ByteOrderOnRandomStrings() {
    Random random = new Random(42);
    List<int[]> ranges = List.of(new int[] {0x20, 0x7F}, new int[] {0x80, 0x7FF}, new int[] {0xD000, 0xD7FF},
        new int[] {0xE000, 0xFFFF}, new int[] {0x10000, 0x10FFFF});
    for (int i = 0; i < 20_000; i++) {
      String a = randomString(random, ranges);
      String b = randomString(random, ranges);
      int expected = Integer.signum(Arrays.compareUnsigned(
          a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
      assertThat(Integer.signum(KeyOrder.compare(a, b))).as("%s vs %s", a, b).isEqualTo(expected);
    }
  }

  private static String randomString(Random random, List<int[]> ranges) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(4);
    for (int i = 0; i < length; i++) {
      int[] range = ranges.get(random.nextInt(ranges.size()));
      s.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
    }
    return s.toString();
  }
}
