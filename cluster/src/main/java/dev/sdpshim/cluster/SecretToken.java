package dev.sdpshim.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.util.Util;

/**
 * JGroups {@link AuthToken} for AUTH: a joiner (or a merging coordinator) proves it knows the
 * cluster's shared secret with HMAC-SHA256(secret, cluster name + its own address). The secret
 * itself never travels; a token is bound to the identity that sent it, so one seen on the wire
 * does not let another member in. AUTH logs and refuses a request whose token does not verify.
 *
 * <p>JGroups instantiates received tokens reflectively, hence the public no-arg constructor;
 * such a token only carries a proof and cannot authenticate others.
 */
public final class SecretToken extends AuthToken {
  private static final String ALGORITHM = "HmacSHA256";

  private String cluster;
  private byte[] secret;
  /** The proof carried on the wire (joiner side: computed at sending; coordinator side: received). */
  private byte[] proof = new byte[0];

  /** For JGroups, which creates the token it reads off the wire this way. */
  public SecretToken() {
  }

  SecretToken(String cluster, byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("the shared secret must not be empty");
    }
    this.cluster = cluster;
    this.secret = secret.clone();
  }

  @Override
  public String getName() {
    return getClass().getName();
  }

  @Override
  public void writeTo(DataOutput out) throws IOException {
    // AUTH writes the local token into join and merge requests: prove, for the local address.
    byte[] p = secret != null && auth != null ? proofFor(localAddress()) : proof;
    Util.writeByteBuffer(p, out);
  }

  @Override
  public void readFrom(DataInput in) throws IOException {
    byte[] p = Util.readByteBuffer(in);
    proof = p == null ? new byte[0] : p;
  }

  @Override
  public int size() {
    return Util.size(secret != null ? new byte[32] : proof);
  }

  /** Coordinator side: does the received token prove the secret for the message's sender? */
  @Override
  public boolean authenticate(AuthToken token, Message msg) {
    if (!(token instanceof SecretToken received) || msg.getSrc() == null || secret == null) {
      return false;
    }
    return MessageDigest.isEqual(proofFor(msg.getSrc()), received.proof);
  }

  private Address localAddress() {
    return auth.getProtocolStack().getChannel().getAddress();
  }

  private byte[] proofFor(Address member) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret, ALGORITHM));
      mac.update(cluster.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(Member.idOf(member).getBytes(StandardCharsets.UTF_8));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
    }
  }

  /** Never the secret nor the proof: AUTH prints the token when it refuses one. */
  @Override
  public String toString() {
    return "SecretToken[cluster=" + cluster + "]";
  }
}
