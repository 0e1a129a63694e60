package dev.sdpshim.cluster;

/**
 * A split brain resolved against this member: its island lost to another, larger (or, at equal
 * size, older) one. The application discards what it built in the losing island; the member then
 * rejoins the winning cluster with a new identity.
 *
 * @param winner the senior member of the winning island
 * @param winnerSize how many members the winning island had
 * @param loser the senior member of this member's (losing) island
 * @param loserSize how many members this member's island had
 */
public record Panic(Member winner, int winnerSize, Member loser, int loserSize) {
}
