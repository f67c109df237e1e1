package dev.coxswain.dashboards.view;

import java.util.Comparator;

/** Orders names with embedded numbers as people read them: {@code n2} before {@code n10}, {@code w-3} before {@code w-12}. */
public final class NaturalOrder implements Comparator<String> {
    /** The comparator; stateless, so one instance serves every caller. */
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            char a = x.charAt(i);
            char b = y.charAt(j);
            if (Character.isDigit(a) && Character.isDigit(b)) {
                int endI = digitsEnd(x, i);
                int endJ = digitsEnd(y, j);
                int byNumber = compareDigits(x.substring(i, endI), y.substring(j, endJ));
                if (byNumber != 0) {
                    return byNumber;
                }
                i = endI;
                j = endJ;
            } else {
                if (a != b) {
                    return Character.compare(a, b);
                }
                i++;
                j++;
            }
        }
        int byLength = Integer.compare(x.length() - i, y.length() - j);
        return byLength != 0 ? byLength : x.compareTo(y);
    }

    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static int compareDigits(String a, String b) {
        String x = a.replaceFirst("^0+(?=.)", "");
        String y = b.replaceFirst("^0+(?=.)", "");
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }
}
