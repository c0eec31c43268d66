package dev.nova.core.util;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A concurrent map keyed by object identity that never keeps its keys alive: the host's objects
 * (connections, statements, data sources) are held weakly, and an entry disappears once its key is
 * collected. Bounded: past {@code capacity} live entries, {@link #putIfRoom} refuses.
 *
 * @param <K> the host's type
 * @param <V> what Nova keeps about it
 */
public final class WeakIdentityMap<K, V> {
  private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<K> queue = new ReferenceQueue<>();
  private final int capacity;

  public WeakIdentityMap(int capacity) {
    this.capacity = capacity;
  }

  private static final class Key<K> extends WeakReference<K> {
    final int hash;

    Key(K referent, ReferenceQueue<K> q) {
      super(referent, q);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      Object mine = get();
      if (mine == null) {
        return false;
      }
      if (o instanceof Key<?> k) {
        return k.get() == mine;
      }
      return o instanceof Probe p && p.referent == mine;
    }
  }

  /** A short-lived lookup key: no reference object, no queue. */
  private static final class Probe {
    final Object referent;
    final int hash;

    Probe(Object referent) {
      this.referent = referent;
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o == this || (o instanceof Key<?> k && k.get() == referent);
    }
  }

  public V get(K key) {
    return key == null ? null : map.get(new Probe(key));
  }

  /** Adds unless full; returns false when the entry was not added. */
  public boolean putIfRoom(K key, V value) {
    expunge();
    if (map.size() >= capacity) {
      return false;
    }
    map.put(new Key<>(key, queue), value);
    return true;
  }

  public V remove(K key) {
    return key == null ? null : map.remove(new Probe(key));
  }

  public int size() {
    return map.size();
  }

  /** Drops the entries whose keys were collected; returns how many. */
  public int expunge() {
    int n = 0;
    Reference<? extends K> r;
    while ((r = queue.poll()) != null) {
      map.remove(r);
      n++;
    }
    return n;
  }

  /** Visits live entries (keys still reachable). */
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<K, V> visitor) {
    map.forEach(
        (k, v) -> {
          K key = ((Key<K>) k).get();
          if (key != null) {
            visitor.accept(key, v);
          }
        });
  }
}
