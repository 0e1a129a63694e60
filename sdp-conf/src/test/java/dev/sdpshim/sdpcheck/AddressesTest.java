package dev.sdpshim.sdpcheck;

import static dev.sdpshim.sdpcheck.FakeHost.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sdpshim.conf.AddressBlock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {
  @ParameterizedTest
  @CsvSource({"2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1", "0:0:0:0:0:0:0:0, ::", "::1, ::1",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", "fe80::10%1, fe80::10",
      "1:0:0:2:0:0:0:3, 1:0:0:2::3", "10.1.2.3, 10.1.2.3"})
  void addressesAreWrittenInRfc5952Form(String in, String expected) {
    assertEquals(expected, Addresses.format(ip(in)));
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.1, 32, 10.0.0.1", "10.9.9.9, 8, 10.0.0.0/8", "fd00:10::21, 128, fd00:10::21", "fd00:10::21, 64, fd00:10::/64"})
  void blocksOfOneAddressAreWrittenAsTheAddress(String address, int prefix, String expected) {
    assertEquals(expected, Addresses.format(AddressBlock.of(ip(address), prefix)));
  }
}
