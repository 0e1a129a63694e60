package dev.sdpshim.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The peer's three services on loopback, over plain TCP and a connection the shim made MPTCP. */
@Timeout(30)
class PeerTest {
  private final Trial trial = new Trial();

  @AfterEach
  void closeAll() throws InterruptedException {
    trial.closeAll();
  }

  private Socket connect(Transport transport) throws IOException {
    InetSocketAddress listener = Target.parse(Target.LOOPBACK).listener(transport.wire(), trial);
    Socket s = trial.track(transport.client(listener, trial).connect());
    s.setSoTimeout(10_000);
    return s;
  }

  @Test
  void echoSendsBackEveryMessageOfTheAnnouncedSize() throws IOException {
    for (Transport transport : new Transport[] {Transport.PLAIN_TCP, Transport.SHIM_MPTCP, Transport.PLAIN_MPTCP}) {
      Socket s = connect(transport);
      Peer.requestEcho(s, 3000);
      for (int i = 0; i < 3; i++) {
        byte[] message = new byte[3000];
        Arrays.fill(message, (byte) i);
        s.getOutputStream().write(message);
        byte[] reply = new byte[3000];
        assertTrue(Peer.readFully(s.getInputStream(), reply), transport + ": echo closed");
        assertArrayEquals(message, reply, transport.toString());
      }
    }
  }

  @Test
  void acceptProbesAreAnsweredOneAfterAnother() throws IOException {
    InetSocketAddress listener = Target.parse(Target.LOOPBACK).listener(Transport.PLAIN_TCP.wire(), trial);
    Transport.Client client = Transport.PLAIN_TCP.connector(listener, trial);
    for (int i = 0; i < 200; i++) {
      Socket s = client.connect();
      s.setSoTimeout(10_000);
      Peer.probeAccept(s);
      assertTrue(s.isClosed());
    }
  }

  @Test
  void theSinkReadsEverythingUntilEof() throws IOException {
    Socket s = connect(Transport.SHIM_NOMATCH);
    Peer.requestSink(s);
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < 8; i++) {
      s.getOutputStream().write(chunk);
    }
    s.shutdownOutput();
    // The sink closes its end after EOF.
    assertEquals(-1, s.getInputStream().read());
  }
}
