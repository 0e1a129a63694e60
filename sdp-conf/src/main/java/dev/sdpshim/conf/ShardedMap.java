package dev.sdpshim.conf;

import java.util.HashMap;
import java.util.function.Function;

/**
 * A hash map for 100 000s of entries split into HashMaps of a few thousand each, by the high bits
 * of the mixed key hash.
 *
 * <p>Why: one HashMap of 100 000 entries has a reference table of 1 MB, which G1 (1 MB regions up
 * to a 2 GB heap) allocates as a humongous object. Such an object is only reclaimed by a
 * concurrent cycle, so after a parse it kept every entry, key and rule it referenced alive through
 * the young collections that followed: each one copied and promoted the whole previous parse.
 * Small tables die young with their entries.
 */
final class ShardedMap<K, V> {
  /** Entries per shard aimed at: a table of 4096 references, 16 KB. */
  private static final int SHARD_SIZE = 3072;

  private final HashMap<K, V>[] shards;
  private final int shift;

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type is made raw, then narrowed
  ShardedMap(int expected) {
    int count = Integer.highestOneBit(Math.max(1, expected / SHARD_SIZE) * 2 - 1);
    count = Math.max(1, Math.min(count, 1 << 12));
    shards = new HashMap[count];
    int perShard = expected / count + 1;
    for (int i = 0; i < count; i++) {
      shards[i] = new HashMap<>((int) (perShard / 0.75f) + 1);
    }
    shift = 32 - Integer.numberOfTrailingZeros(count);
  }

  private HashMap<K, V> shard(Object key) {
    if (shards.length == 1) {
      return shards[0];
    }
    int h = key.hashCode() * 0x9E3779B9;
    return shards[h >>> shift];
  }

  V get(Object key) {
    return shard(key).get(key);
  }

  V putIfAbsent(K key, V value) {
    return shard(key).putIfAbsent(key, value);
  }

  V computeIfAbsent(K key, Function<? super K, ? extends V> mapping) {
    return shard(key).computeIfAbsent(key, mapping);
  }
}
