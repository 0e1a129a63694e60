package dev.sdpshim.cluster;

import java.util.List;

/**
 * What a {@link ClusterMember} tells the application. Called on the member's threads, one call
 * at a time per kind; keep the work short.
 */
public interface ClusterListener {

  /** The members now, oldest (the senior) first; also called after this member (re)joined. */
  default void membersChanged(List<Member> members) {
  }

  /**
   * This member's island lost a split brain: discard the state built since the islands parted
   * (it is the losing history). The member then rejoins with a new identity.
   */
  default void discardState(Panic panic) {
  }

  /**
   * This member could not reach {@code suspect} while other members still could: this member was
   * the one cut off, and it leaves and rejoins with a new identity.
   */
  default void cutOff(Member suspect) {
  }

  /** This member left and joined again: {@code now} is its new identity. */
  default void rejoined(Member previous, Member now) {
  }
}
