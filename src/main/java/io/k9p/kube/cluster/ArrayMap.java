package io.k9p.kube.cluster;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable map held in two arrays, in the order it was given: what a small JSON object of a
 * cached object costs, where a LinkedHashMap adds a table and an entry object per key. A lookup
 * scans the keys, so it is meant for maps of a few keys ({@link CompactStore} keeps larger ones as
 * they came). Values may be null, as JSON's may.
 */
final class ArrayMap<V> extends AbstractMap<String, V> {
    private final String[] keys;
    private final Object[] values;

    /** The keys of {@code map}, in its order, each with {@code value} of its value. */
    ArrayMap(Map<?, ?> map, Function<Object, V> value) {
        keys = new String[map.size()];
        values = new Object[map.size()];
        int index = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            keys[index] = (String) entry.getKey();
            values[index] = value.apply(entry.getValue());
            index++;
        }
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : (V) values[index];
    }

    private int indexOf(Object key) {
        for (int index = 0; index < keys.length; index++) {
            if (keys[index].equals(key)) {
                return index;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Entry<String, V> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int index = next++;
                        return new SimpleImmutableEntry<>(keys[index], (V) values[index]);
                    }
                };
            }
        };
    }
}
