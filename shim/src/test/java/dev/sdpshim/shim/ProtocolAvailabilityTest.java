package dev.sdpshim.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Facts of this machine's kernel (see jdk-sdp-facts.md): no SDP, MPTCP present. */
class ProtocolAvailabilityTest {
  private final ProtocolAvailability availability = new ProtocolAvailability();

  @ParameterizedTest
  @ValueSource(ints = {Libc.AF_INET, Libc.AF_INET6})
  void sdpIsReportedUnavailableWithEafnosupport(int family) {
    ProtocolAvailability.Result result = availability.probe(Protocol.SDP, family);
    assertFalse(result.available());
    assertEquals(97, result.errno());
    assertEquals("EAFNOSUPPORT", result.failure().errnoName());
  }

  @ParameterizedTest
  @ValueSource(ints = {Libc.AF_INET, Libc.AF_INET6})
  void mptcpAndTcpAreReportedAvailable(int family) {
    assertTrue(availability.isAvailable(Protocol.MPTCP, family));
    assertEquals(0, availability.probe(Protocol.MPTCP, family).errno());
    assertTrue(availability.isAvailable(Protocol.TCP, family));
  }

  @Test
  void eachProtocolAndFamilyIsProbedOnce() {
    ProtocolAvailability.Result first = availability.probe(Protocol.SDP, Libc.AF_INET);
    assertSame(first, availability.probe(Protocol.SDP, Libc.AF_INET));
    assertSame(first.failure(), availability.probe(Protocol.SDP, Libc.AF_INET).failure());
  }
}
