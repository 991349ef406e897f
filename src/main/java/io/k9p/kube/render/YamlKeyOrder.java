package io.k9p.kube.render;

import java.util.Comparator;

/**
 * The order goyaml.v2 writes a map's string keys in (sorter.go, keyList.Less): rune by rune, where at the
 * first difference letters come after everything else, and runs of digits compare as numbers, so
 * {@code a9 < a10} and {@code _x < 1 < A < a}. It is not transitive ({@code x10y < x1y < x9y < x10y}: a letter
 * beats a digit before numbers are compared); for such keys Go's sort gives an order that depends on the map's
 * iteration order, which Go randomises, so kubectl's varies from run to run, and any order is as right.
 */
final class YamlKeyOrder implements Comparator<String> {
    static final YamlKeyOrder INSTANCE = new YamlKeyOrder();

    private YamlKeyOrder() {}

    @Override
    public int compare(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        return less(ar, br) ? -1 : less(br, ar) ? 1 : 0;
    }

    private static boolean less(int[] ar, int[] br) {
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return ar[i] < br[i];
            }
            if (al || bl) {
                return bl;
            }
            long an = 0;
            long bn = 0;
            // A zero that continues a number (the 0 of 10 against the 5 of 15) is not a leading zero.
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return an < bn;
            }
            if (ai != bi) {
                return ai < bi;
            }
            return ar[i] < br[i];
        }
        return ar.length < br.length;
    }
}
