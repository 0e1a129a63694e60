package dev.sdpshim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.junit.jupiter.api.Test;

/** WITNESS's header on the wire: a confirmed departure names the suspect and its witnesses. */
class WitnessHeaderTest {
  private final Address suspect = Member.newIdentity("m2");
  private final Address m3 = Member.newIdentity("m3");
  private final Address m4 = Member.newIdentity("m4");

  @Test
  void aConfirmedDepartureCarriesTheSuspectAndItsWitnesses() throws Exception {
    WITNESS.WitnessHeader sent = new WITNESS.WitnessHeader(WITNESS.WitnessHeader.CONFIRMED, suspect, false,
        List.of(m3, m4));
    byte[] bytes = write(sent);
    assertEquals(sent.serializedSize(), bytes.length, "serializedSize is what is written");

    WITNESS.WitnessHeader read = read(bytes);
    assertEquals(WITNESS.WitnessHeader.CONFIRMED, read.type);
    assertEquals(suspect, read.suspect);
    assertEquals(List.of(m3, m4), read.confirmedBy);
    assertEquals("m2", Member.of(read.suspect).name(), "the identity travels whole");
  }

  @Test
  void otherMessagesCarryNoWitnesses() throws Exception {
    WITNESS.WitnessHeader read = read(write(new WITNESS.WitnessHeader(WITNESS.WitnessHeader.PROBE, suspect, true)));
    assertEquals(List.of(), read.confirmedBy);
    assertEquals(true, read.reachable);
  }

  @Test
  void aTruncatedHeaderIsAnIoError() throws Exception {
    byte[] bytes = write(new WITNESS.WitnessHeader(WITNESS.WitnessHeader.CONFIRMED, suspect, false, List.of(m3)));
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
    assertThrows(EOFException.class, () -> read(cut));
  }

  @Test
  void aWitnessWithoutAnAddressIsAnIoError() throws Exception {
    List<Address> withNull = new ArrayList<>(List.of(m3));
    withNull.add(null);
    WITNESS.WitnessHeader hdr = new WITNESS.WitnessHeader(WITNESS.WitnessHeader.CONFIRMED, suspect, false, withNull);
    byte[] bytes = write(hdr);
    IOException e = assertThrows(IOException.class, () -> read(bytes));
    assertTrue(e.getMessage().contains("a witness without an address"), e.getMessage());
  }

  private static byte[] write(WITNESS.WitnessHeader hdr) throws Exception {
    ByteArrayDataOutputStream out = new ByteArrayDataOutputStream();
    hdr.writeTo(out);
    return Arrays.copyOf(out.buffer(), out.position());
  }

  private static WITNESS.WitnessHeader read(byte[] bytes) throws Exception {
    WITNESS.WitnessHeader hdr = new WITNESS.WitnessHeader();
    hdr.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    return hdr;
  }
}
